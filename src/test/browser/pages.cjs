// The browser pages of the service in Debian's headless Chromium, driven by playwright-core (no browser
// download): GraphiQL with credentials typed into its Headers tab, and the Swagger UI reference at /docs.
// Usage: node pages.cjs <baseUrl> <user> <password> <account> <orderId>
// Exits non-zero on the first broken expectation; prints one JSON summary line on success.
"use strict";
const assert = require("node:assert/strict");
const { chromium } = require("playwright-core");

const [baseUrl, user, password, account, orderId] = process.argv.slice(2);
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

(async () => {
  const browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: ARGS, timeout: TIMEOUT });
  try {
    const order = await graphiql(browser);
    const reference = await docs(browser);
    console.log(JSON.stringify({ order, docs: reference }));
  } finally {
    await browser.close();
  }
})().catch((error) => {
  console.error(error);
  process.exit(1);
});
