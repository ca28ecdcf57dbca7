// An assessment vendor's whole flow through StackOne's unmodified TypeScript SDK (4.28.0), with only the
// base URL changed: publish and read packages, receive an order, read it, report a result, and see the
// SDK's typed errors. Usage: node stackone-flow.cjs <baseUrl> <user> <password> <account> <disabledAccount>
// Exits non-zero on the first broken expectation; prints one JSON summary line on success.
"use strict";
const assert = require("node:assert/strict");
const { StackOne } = require("@stackone/stackone-client-ts");
const errors = require("@stackone/stackone-client-ts/sdk/models/errors");

const [baseUrl, user, password, account, disabledAccount] = process.argv.slice(2);
const client = (username, pass) => new StackOne({
  serverURL: baseUrl,
  security: { username, password: pass },
  retryConfig: { strategy: "none" },
});
const stackOne = client(user, password);
const basic = "Basic " + Buffer.from(`${user}:${password}`).toString("base64");

async function publish(id, pkg) {
  // StackOne has no call that creates assessment packages; this service's PUT is plain HTTP
  const response = await fetch(`${baseUrl}/unified/ats/assessments/packages/${encodeURIComponent(id)}`, {
    method: "PUT", headers: { authorization: basic, "x-account-id": account, "content-type": "application/json" },
    body: JSON.stringify(pkg),
  });
  assert.equal(response.status, 200);
}

async function expectError(type, status, call) {
  try {
    await call();
  } catch (e) {
    assert.ok(e instanceof type, `expected ${type.name}, got ${e && e.constructor && e.constructor.name}: ${e}`);
    assert.equal(e.statusCode, status);
    assert.ok(e.data$.timestamp instanceof Date, "timestamp parsed as a date");
    return e.constructor.name;
  }
  assert.fail(`expected ${type.name}`);
}

(async () => {
  const summary = {};

  await publish("pkg java", { name: "Java", description: "Java skills test" });
  await publish("pkg-go", { remote_id: "vendor-go", name: "Go" });

  // List packages one per page: the SDK follows `next` until it is null
  const pages = await stackOne.ats.listAssessmentsPackages({
    xAccountId: account, pageSize: "1", fields: "id,name", raw: false,
    filter: { updatedAfter: new Date("2020-01-01T00:00:00.000Z") }, proxy: { foo: "bar" },
  });
  const seen = [];
  let pageCount = 0;
  for await (const page of pages) {
    assert.equal(page.statusCode, 200);
    pageCount++;
    for (const pkg of page.assessmentPackagePaginated.data) seen.push(pkg.id);
  }
  assert.deepEqual(seen, ["pkg java", "pkg-go"]);
  summary.packagePages = pageCount;

  const pkg = await stackOne.ats.getAssessmentsPackage({ id: "pkg java", xAccountId: account, fields: "id,name,description" });
  assert.deepEqual(pkg.assessmentPackageResult.data, { id: "pkg java", name: "Java", description: "Java skills test" });
  const byRemote = await stackOne.ats.getAssessmentsPackage({ id: "vendor-go", xAccountId: account });
  assert.equal(byRemote.assessmentPackageResult.data.id, "pkg-go");

  // The ATS orders a test
  const order = {
    id: "ats-order-77",
    package: { id: "pkg java", name: "Java" },
    application: { id: "app-1", applicationStatus: { value: "assessment", sourceValue: "Assessment" } },
    job: { id: "job-1", title: "Software Engineer",
      hiringTeam: [{ userId: "123456", firstName: "John", lastName: "Doe", email: "john.doe@example.com", role: "Recruiter" }] },
    candidate: { id: "cand-1", firstName: "Romain", lastName: "Sestier",
      emails: [{ type: "personal", value: "sestier.romain123@gmail.com" }], profileUrl: "https://ats.example/c/1" },
    requester: { userId: "123456", email: "john.doe@example.com" },
    passthrough: { anything: "goes" },
  };
  const created = await stackOne.ats.orderAssessmentsRequest({ xAccountId: account, atsCreateCandidatesAssessmentsRequestDto: order });
  assert.equal(created.statusCode, 200);
  const result = created.createAssessmentOrderResult;
  assert.equal(result.remoteId, "ats-order-77");
  assert.ok(result.id && result.testUrl, JSON.stringify(result));
  const replay = await stackOne.ats.orderAssessmentsRequest({ xAccountId: account, atsCreateCandidatesAssessmentsRequestDto: order });
  assert.deepEqual(replay.createAssessmentOrderResult, result);

  // SDK 4.28 no longer has getAssessmentsRequest: the same request by hand, as CONTRACT.md describes
  const read = await fetch(`${baseUrl}/unified/ats/assessments/orders/${encodeURIComponent(result.id)}?fields=candidate.emails,job.hiring_team.email`,
    { headers: { authorization: basic, "x-account-id": account, accept: "application/json" } });
  assert.equal(read.status, 200);
  assert.deepEqual(await read.json(), { data: {
    job: { hiring_team: [{ email: "john.doe@example.com" }] },
    candidate: { emails: [{ type: "personal", value: "sestier.romain123@gmail.com" }] } } });

  // The vendor reports the result
  const updated = await stackOne.ats.updateAssessmentsResult({
    id: result.id, xAccountId: account,
    atsUpdateCandidatesAssessmentsResultsRequestDto: {
      score: { label: "Percentage", value: "80", min: "0", max: "100" },
      startDate: new Date("2021-01-01T01:01:01.000Z"), submissionDate: new Date("2021-01-01T02:01:01.000Z"),
      summary: "Test is passed", result: { value: "passed", sourceValue: "Passed" }, resultUrl: "https://vendor.example/r/1",
      attachments: [{ url: "https://vendor.example/r/1.pdf", contentType: { value: "pdf" } }],
      candidate: { id: "cand-1", profileUrl: "https://vendor.example/c/1" },
    },
  });
  assert.equal(updated.statusCode, 200);
  assert.equal(updated.updateResult.statusCode, 200);
  assert.equal(updated.updateResult.message, "Record updated successfully.");
  assert.ok(updated.updateResult.timestamp instanceof Date);

  const results = await fetch(`${baseUrl}/unified/ats/assessments/orders/ats-order-77/results?fields=score.value,result,submission_date`,
    { headers: { authorization: basic, "x-account-id": account } });
  assert.deepEqual(await results.json(), { data: { score: { value: "80" }, submission_date: "2021-01-01T02:01:01.000Z",
    result: { value: "passed", source_value: "Passed" } } });

  // Typed errors, as StackOne's own API would produce them
  summary.errors = [
    await expectError(errors.NotFoundResponse, 404, () => stackOne.ats.getAssessmentsPackage({ id: "nope", xAccountId: account })),
    await expectError(errors.ConflictResponse, 409, () => stackOne.ats.orderAssessmentsRequest({ xAccountId: account,
      atsCreateCandidatesAssessmentsRequestDto: { ...order, candidate: { firstName: "Someone else" } } })),
    await expectError(errors.UnauthorizedResponse, 401, () => client(user, password + "x").ats.getAssessmentsPackage({ id: "pkg-go", xAccountId: account })),
    await expectError(errors.NotFoundResponse, 404, () => stackOne.ats.updateAssessmentsResult({ id: "no-such-order", xAccountId: account,
      atsUpdateCandidatesAssessmentsResultsRequestDto: { summary: "x" } })),
    await expectError(errors.PreconditionFailedResponse, 412, () => stackOne.ats.listAssessmentsPackages({ xAccountId: disabledAccount })),
  ];
  summary.order = result.id;
  console.log(JSON.stringify(summary));
})().catch((e) => {
  console.error(e && e.stack ? e.stack : e);
  process.exit(1);
});
