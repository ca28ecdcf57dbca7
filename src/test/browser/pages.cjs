// The browser pages of the service in Debian's headless Chromium, driven by playwright-core (no browser
// download): GraphiQL with credentials typed into its Headers tab, a GraphiQL subscription that shows an order
// posted meanwhile, the Swagger UI reference at /docs, and a recruiter dashboard served from another origin
// (http://localhost:<dashboardPort>, which the service lists in cors_allowed_origins) calling GraphQL and REST with
// credentials; the same page from an origin not listed (http://127.0.0.1:<dashboardPort>) is refused by the browser.
// Usage: node pages.cjs <baseUrl> <user> <password> <account> <orderId> <dashboardPort>
// Exits non-zero on the first broken expectation; prints one JSON summary line on success.
"use strict";
const assert = require("node:assert/strict");
const { chromium } = require("playwright-core");

const http = require("node:http");
const [baseUrl, user, password, account, orderId, dashboardPort] = process.argv.slice(2);
const basic = "Basic " + Buffer.from(`${user}:${password}`).toString("base64");
const CHROMIUM = process.env.CHROMIUM || "/usr/bin/chromium";
const TIMEOUT = 20_000;

// as root (CI) Chromium needs --no-sandbox; the network flags stop it calling home on a closed network
const ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
  "--disable-component-update", "--disable-sync", "--disable-dev-shm-usage"];

/** A page that records what would break the promises of the service: other origins, CSP refusals, script errors. */
async function open(browser, path) {
  const page = await browser.newPage();
  page.setDefaultTimeout(TIMEOUT);
  const problems = [];
  page.on("request", (request) => {
    const url = new URL(request.url());
    if (url.protocol !== "data:" && url.origin !== new URL(baseUrl).origin) problems.push("off-origin request " + url);
  });
  page.on("console", (message) => {
    if (/Content Security Policy/i.test(message.text())) problems.push("CSP: " + message.text());
  });
  page.on("pageerror", (error) => problems.push("script error: " + error.message));
  await page.goto(baseUrl + path);
  return { page, problems };
}

/** Replaces the text of a GraphiQL editor as a user would: click, select all, type. */
async function typeInto(page, editor, text) {
  await page.locator(editor + " .CodeMirror").first().click();
  await page.keyboard.press("Control+A");
  await page.keyboard.press("Delete");
  await page.keyboard.insertText(text);
}

async function graphiql(browser) {
  const { page, problems } = await open(browser, "/graphiql/");
  const query = `{ assessmentOrder(id: "${orderId}") { id candidate { firstName lastName emails { value } } package { name } job { title } } }`;
  await typeInto(page, ".graphiql-query-editor", query);
  await page.getByRole("button", { name: "Headers", exact: true }).click();
  const headersEditor = ".graphiql-editor-tool .graphiql-editor:not(.hidden)";
  const headers = (accountId) => JSON.stringify({
    Authorization: "Basic " + Buffer.from(`${user}:${password}`).toString("base64"), "x-account-id": accountId });
  const result = () => page.evaluate(() => document.querySelector(".result-window .CodeMirror").CodeMirror.getValue());

  // an account typed in the Headers tab that the user may not use is refused: what is typed there is what is sent
  // (not a wrong password: Chromium answers a 401 with WWW-Authenticate: Basic by asking for a login itself)
  await typeInto(page, headersEditor, headers(account + "-not-granted"));
  await page.locator(".graphiql-execute-button").click();
  await page.waitForFunction(() => /statusCode/.test(document.querySelector(".result-window .CodeMirror")?.CodeMirror.getValue()));
  const refused = JSON.parse(await result());
  assert.equal(refused.statusCode, 404, JSON.stringify(refused));

  await typeInto(page, headersEditor, headers(account));
  await page.locator(".graphiql-execute-button").click();
  await page.waitForFunction(() => /"data"/.test(document.querySelector(".result-window .CodeMirror")?.CodeMirror.getValue()));
  const answer = JSON.parse(await result());
  assert.equal(answer.errors, undefined, JSON.stringify(answer));
  // and it is on the screen, not only in the editor's model
  const shown = await page.locator(".result-window").innerText();
  assert.ok(shown.includes(answer.data.assessmentOrder.candidate.lastName), shown);
  assert.deepEqual(problems, []);
  await page.close();
  return answer.data.assessmentOrder;
}

async function docs(browser) {
  const { page, problems } = await open(browser, "/docs");
  await page.locator(".opblock-summary-path").first().waitFor();
  const operations = await page.$$eval(".opblock-summary",
    (blocks) => blocks.map((block) => block.querySelector(".opblock-summary-method").textContent + " "
      + block.querySelector(".opblock-summary-path").getAttribute("data-path")));
  assert.equal(await page.locator(".errors-wrapper").count(), 0, "Swagger UI reports errors in the document");
  // an operation opens to its parameters
  await page.locator(".opblock-summary", { hasText: "Get Assessments Request" }).click();
  await page.locator(".opblock.is-open .parameters").getByText("x-account-id").first().waitFor();
  const title = await page.locator(".info .title").innerText();
  assert.deepEqual(problems, []);
  await page.close();
  return { title, operations };
}

/** GraphiQL runs a subscription over its WebSocket; orders posted meanwhile (over REST, from here) show up in it. */
async function graphiqlSubscription(browser) {
  const { page, problems } = await open(browser, "/graphiql/");
  const frames = [];  // what went over GraphiQL's WebSocket, shown when nothing arrives
  page.on("websocket", (socket) => {
    frames.push("open " + socket.url());
    socket.on("framesent", (frame) => frames.push("> " + frame.payload));
    socket.on("framereceived", (frame) => frames.push("< " + String(frame.payload).slice(0, 200)));
    socket.on("close", () => frames.push("closed"));
  });
  await typeInto(page, ".graphiql-query-editor", "subscription { assessmentEvents(types: [\"ats_assessments.created\"]) { type order { remoteId } } }");
  // GraphiQL parses the editor's text a moment after it changed, and routes by what it parsed: a click before that
  // would send the subscription over HTTP (refused there); click again until it went over the WebSocket
  const shown = () => page.evaluate(() => document.querySelector(".result-window .CodeMirror")?.CodeMirror.getValue() || "");
  for (let tries = 0; ; tries++) {
    await page.waitForTimeout(300);
    await page.locator(".graphiql-execute-button").click();
    await page.waitForTimeout(300);
    if (frames.some((frame) => frame.includes('"subscribe"'))) break;
    if (tries === 10) throw new Error("GraphiQL never sent the subscription over its WebSocket: " + (await shown()));
  }
  // the subscription is live a moment after it is sent, and nothing says when: post until one arrives
  for (let i = 0; i < 50; i++) {
    const remoteId = "graphiql-live-" + i;
    const posted = await fetch(baseUrl + "/unified/ats/assessments/orders", { method: "POST",
      headers: { Authorization: basic, "x-account-id": account, "Content-Type": "application/json" },
      body: JSON.stringify({ id: remoteId, candidate: { first_name: "Live" } }) });
    assert.equal(posted.status, 200);
    const deadline = Date.now() + 300;
    while (Date.now() < deadline) {
      if ((await shown()).includes(remoteId)) {
        assert.deepEqual(problems, []);
        await page.close();
        return { remoteId };
      }
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  }
  throw new Error("no event reached GraphiQL's subscription; result window: " + (await shown()) + "; problems: " + problems
    + "; WebSocket: " + frames.join(" | "));
}

/** The dashboard: an HTML page of another origin that calls the API with credentials and shows what it got. */
function dashboardPage() {
  return `<!doctype html><html><body><pre id="graphql">…</pre><pre id="rest">…</pre><script>
const api = ${JSON.stringify(baseUrl)}, headers = { Authorization: ${JSON.stringify(basic)}, "x-account-id": ${JSON.stringify(account)} };
(async () => {
  const graphql = await fetch(api + "/graphql", { method: "POST", headers: { ...headers, "Content-Type": "application/json" },
    body: JSON.stringify({ query: '{ assessmentOrder(id: "${orderId}") { id candidate { lastName } } }' }) });
  document.getElementById("graphql").textContent = JSON.stringify({ status: graphql.status, body: await graphql.json() });
  const rest = await fetch(api + "/unified/ats/assessments/orders/${orderId}", { headers: { ...headers, "X-Request-Id": "dashboard-1" } });
  document.getElementById("rest").textContent = JSON.stringify({ status: rest.status, requestId: rest.headers.get("X-Request-Id"),
    remaining: rest.headers.get("RateLimit-Remaining"), body: await rest.json() });
})().catch((error) => { document.getElementById("graphql").textContent = "refused: " + error; });
</script></body></html>`;
}

async function dashboard(browser, origin) {
  const page = await browser.newPage();
  page.setDefaultTimeout(TIMEOUT);
  await page.goto(origin + "/dashboard.html");
  await page.waitForFunction(() => document.getElementById("graphql").textContent !== "…");
  const graphqlText = await page.locator("#graphql").innerText();
  if (graphqlText.startsWith("refused")) {
    await page.close();
    return { refused: graphqlText };
  }
  await page.waitForFunction(() => document.getElementById("rest").textContent !== "…");
  const shown = { graphql: JSON.parse(graphqlText), rest: JSON.parse(await page.locator("#rest").innerText()) };
  await page.close();
  return shown;
}

(async () => {
  const server = http.createServer((request, response) => {
    response.writeHead(200, { "Content-Type": "text/html; charset=utf-8" });
    response.end(dashboardPage());
  });
  await new Promise((resolve) => server.listen(Number(dashboardPort), "127.0.0.1", resolve));
  const browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: ARGS, timeout: TIMEOUT });
  try {
    const order = await graphiql(browser);
    const subscription = await graphiqlSubscription(browser);
    const reference = await docs(browser);
    const allowed = await dashboard(browser, `http://localhost:${dashboardPort}`);
    const other = await dashboard(browser, `http://127.0.0.1:${dashboardPort}`);
    console.log(JSON.stringify({ order, subscription, docs: reference, dashboard: allowed, otherOrigin: other }));
  } finally {
    await browser.close();
    server.close();
  }
})().catch((error) => {
  console.error(error);
  process.exit(1);
});
