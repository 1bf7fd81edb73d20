// The coordinator's screens against a real `liaison web`: the program view's numbers equal what
// the command line reports and open their lists; event requests approved and denied with a
// reason, and the liaison sees both decisions; the CAD CSV downloads with the rows the command
// line writes; a liaison's approval is refused by ops; a saved reply made in Spanish is offered
// on a thread of its troop; the audit trail filtered by user, and its chain verified; axe-core
// and the layout at 1280 and 390 pixels on every page.
//
// Every date is fixed (March 2025: mail, events), so no assertion depends on the day it runs.
import assert from "node:assert/strict";
import fs from "node:fs";
import path from "node:path";
import { browserTest, setup, signIn, clickAndLoad, eml, axeViolations, noHorizontalOverflow, screenshot, TOP } from "./lib.mjs";

const MONTH = "2025-03";
const REASON = "Staffing: no second unit is free that evening";
const EVENTS = {}; // name -> id

// The numbers `liaison event request` prints: "event 3 requested ...".
function eventId(out) {
  const m = /^event (\d+) requested/.exec(out);
  if (!m) throw new Error(`no event number in: ${out}`);
  return Number(m[1]);
}

const s = setup({ name: "coord" }, (c) => {
  // saved replies are written into the templates folder: this console's own copy, never the
  // source tree's
  const tpl = path.join(c.dir, "templates");
  fs.cpSync(path.join(TOP, "templates"), tpl, { recursive: true });
  const conf = fs.readFileSync(c.config, "utf8").replace(/^templates = .*$/m, `templates = ${tpl}`);
  fs.writeFileSync(c.config, conf);

  c.importMessages("K", {
    "1.eml": eml({ from: "María López <maria@people.example>", subject: "Reunión del barrio",
      body: "Hola, ¿pueden venir a nuestra reunión?\n", id: "maria-1@people.example" }),
    "2.eml": eml({ from: "Tom Reed <tom@people.example>", subject: "Speeding on Elm Street",
      body: "Cars race down Elm Street every night.\n", id: "tom-1@people.example" }),
    "3.eml": eml({ from: "Ann Cole <ann@people.example>", subject: "Thank you",
      body: "Thanks for coming to the fair.\n", id: "ann-1@people.example" }),
  });
  c.importMessages("L", {
    "4.eml": eml({ from: "Lee Park <lee@people.example>", to: "TroopLCTL@ct.gov", subject: "Bus stop",
      body: "The bus stop light is out.\n", id: "lee-1@people.example" }),
  });
  c.liaison(["--as", "reyes", "take", c.ref("tom")]);
  c.liaison(["--as", "reyes", "flag", c.ref("tom"), "reportable"]);
  c.liaison(["--as", "walsh", "flag", c.ref("ann"), "urgent"]);

  const req = (user, args) => eventId(c.liaison(["--as", user, "event", "request", "--thread", "-", ...args]));
  EVENTS.library = req("reyes", ["--date", `${MONTH}-14T18:00`, "--place", "Hartford Public Library",
    "--kind", "community-group", "--private", "--duration", "2 hours", "--contact", "860-555-0100",
    "--media", "--media-consent", "yes"]);
  EVENTS.church = req("reyes", ["--date", `${MONTH}-20`, "--place", "St. Mary's <b>hall</b>", "--kind", "faith"]);
  EVENTS.school = req("bell", ["--date", `${MONTH}-05`, "--place", "Main Street School", "--kind", "school"]);
  EVENTS.shops = req("walsh", ["--date", `${MONTH}-25`, "--place", "Elm St, Suite 4", "--kind", "business"]);
  EVENTS.april = req("reyes", ["--date", "2025-04-02", "--place", "Park pavilion", "--kind", "community-group"]);
  // what CAD gets: one done (troop L) and one unable to fulfil (troop K)
  c.liaison(["--as", "coordinator", "event", "approve", String(EVENTS.school)]);
  c.liaison(["--as", "bell", "event", "done", String(EVENTS.school), "--visited", "school"]);
  c.liaison(["--as", "coordinator", "event", "unable", String(EVENTS.shops), "--narrative", "Denied due to staffing shortage"]);
});

async function checkPage(page, name) {
  assert.deepEqual(await axeViolations(page), [], `axe on ${name}`);
  for (const width of [1280, 390]) {
    await page.setViewportSize({ width, height: 900 });
    const o = await noHorizontalOverflow(page);
    assert.ok(o.scrollWidth <= o.clientWidth, `${name} at ${width}px: ${o.scrollWidth} > ${o.clientWidth}`);
    await screenshot(page, `coordinator-${name}-${width}`, { fullPage: true });
  }
  await page.setViewportSize({ width: 1280, height: 900 });
}

function events() {
  return s.console.json(["--as", "admin", "events", "--month", MONTH]);
}

browserTest("the coordinator approves one request and denies another with a reason; the liaison sees both", s.getBrowser, async ({ newPage }) => {
  const page = await newPage();
  await signIn(page, s.base, "coordinator");
  await page.goto(`${s.base}/events?month=${MONTH}`);
  const library = page.locator(`li.request[data-event="${EVENTS.library}"]`);
  const details = await library.locator("dl.facts").innerText();
  assert.match(details, /Hartford Public Library/);
  assert.match(details, /expected to last 2 hours; reach the liaison at 860-555-0100/, "the dispatch notice");
  assert.match(details, /Media involved; the group consents/);
  assert.match(await page.locator(`li.request[data-event="${EVENTS.church}"] dl.facts`).innerText(),
    /St\. Mary's <b>hall<\/b>/, "a place is shown as written, never as markup");
  await checkPage(page, "events");

  await clickAndLoad(page, `li.request[data-event="${EVENTS.library}"] form[action$="/approve"] button`);
  assert.match(await page.locator("p.done").innerText(), new RegExp(`Event ${EVENTS.library} approved`));
  assert.equal(await page.locator(`li.request[data-event="${EVENTS.library}"]`).count(), 0, "no longer waiting");

  // a denial needs its reason: the browser will not send the form without one
  const deny = page.locator(`li.request[data-event="${EVENTS.church}"] form[action$="/deny"]`);
  assert.equal(await deny.locator("textarea[name=reason]").getAttribute("required"), "");
  await deny.locator("textarea[name=reason]").fill(REASON);
  await clickAndLoad(page, `li.request[data-event="${EVENTS.church}"] form[action$="/deny"] button`);
  assert.match(await page.locator("p.done").innerText(), new RegExp(`Event ${EVENTS.church} denied`));

  const byId = Object.fromEntries(events().map((e) => [e.id, e]));
  assert.equal(byId[EVENTS.library].status, "approved");
  assert.equal(byId[EVENTS.library].decided_by, "coordinator");
  assert.equal(byId[EVENTS.church].status, "denied");
  assert.equal(byId[EVENTS.church].deny_reason, REASON);

  const liaison = await newPage();
  await signIn(liaison, s.base, "reyes");
  await liaison.goto(`${s.base}/events?month=${MONTH}`);
  const approved = await liaison.locator(`table.events tr[data-event="${EVENTS.library}"] td.decision`).innerText();
  assert.match(approved, /Approved by coordinator/);
  const denied = await liaison.locator(`table.events tr[data-event="${EVENTS.church}"] td.decision`).innerText();
  assert.match(denied, /Denied by coordinator/);
  assert.ok(denied.includes(REASON), `the reason is shown to the liaison: ${denied}`);
  assert.equal(await liaison.locator(`table.events tr[data-event="${EVENTS.school}"]`).count(), 0,
    "troop L's event is not troop K's liaison's");
  assert.equal(await liaison.locator("form[action^='/events/']").count(), 0, "no approve or deny control for a liaison");
  assert.equal(await liaison.locator(`li.request[data-event="${EVENTS.april}"]`).count(), 1,
    "the liaison sees its troop's open request, waiting");
  await checkPage(liaison, "events-liaison");
});

browserTest("a liaison's approval is refused by ops, and nothing changes", s.getBrowser, async ({ newPage }) => {
  const page = await newPage();
  await signIn(page, s.base, "reyes");
  await page.goto(`${s.base}/events`);
  const csrf = await page.locator("main").getAttribute("data-csrf");
  const answer = await page.evaluate(async ({ id, csrf }) => {
    const r = await fetch(`/events/${id}/approve`, { method: "POST", body: new URLSearchParams({ csrf }),
      headers: { "Content-Type": "application/x-www-form-urlencoded" } });
    return { status: r.status, text: await r.text() };
  }, { id: EVENTS.april, csrf });
  assert.equal(answer.status, 403);
  assert.match(answer.text, /only the coordinator approves or denies event requests/);
  const april = s.console.json(["--as", "admin", "events", "--month", "2025-04"]).find((e) => e.id === EVENTS.april);
  assert.equal(april.status, "requested");
});

browserTest("the CAD CSV downloads with the rows the command line writes", s.getBrowser, async ({ newPage }) => {
  const page = await newPage({ acceptDownloads: true });
  await signIn(page, s.base, "coordinator");
  await page.goto(`${s.base}/events?month=${MONTH}`);
  const [download] = await Promise.all([page.waitForEvent("download"), page.click("a.csv")]);
  assert.equal(download.suggestedFilename(), `cad-events-${MONTH}.csv`);
  const got = fs.readFileSync(await download.path(), "utf8");
  const want = s.console.liaison(["--as", "coordinator", "events", "--csv", "--month", MONTH]);
  assert.equal(got, want, "the same bytes as liaison events --csv");
  const lines = got.trim().split("\n");
  assert.equal(lines[0], "call_type,sub_type,date_time,location,primary_unit,narrative,thread_ref,troop,primary_unit_name,attended_by,attended_by_names");
  assert.equal(lines.length, 3, `two events done or unable in ${MONTH}: ${got}`);
  assert.match(got, /^Community Engagement Activity,CTL Event,2025-03-05,Main Street School,bell,/m);
  assert.match(got, /^Community Engagement Activity,CTL Unable to Fulfill,2025-03-25,"Elm St, Suite 4",coordinator,Denied due to staffing shortage,/m);
  const r = await page.request.get(`${s.base}/events/cad.csv?month=${MONTH}`);
  assert.equal(r.status(), 200);
  assert.match(r.headers()["content-type"], /^text\/csv/);
  assert.match(r.headers()["content-disposition"], /^attachment; filename="cad-events-2025-03\.csv"$/);
});

// What the inbox views count, from `liaison threads --all --json`.
function expectedCounts(threads, evs, troop) {
  const open = threads.filter((t) => t.ref.startsWith(`${troop}-`) && t.kind === "person" && t.status !== "closed");
  return {
    fresh: open.filter((t) => t.status === "new").length,
    unassigned: open.filter((t) => t.assignee === null).length,
    urgent: open.filter((t) => t.priority === "urgent").length,
    overdue: open.filter((t) => t.overdue).length,
    reportable: open.filter((t) => t.reportable && !t.rms_number && !t.not_reportable_reason).length,
    requests: evs.filter((e) => e.troop === troop && e.status === "requested").length,
  };
}

browserTest("the program view's numbers are the command line's and open their lists; a liaison is refused", s.getBrowser, async ({ newPage }) => {
  const page = await newPage();
  await signIn(page, s.base, "coordinator");
  await page.goto(`${s.base}/program`);
  const threads = s.console.threads();
  const evs = s.console.json(["--as", "admin", "events"]);
  const total = {};
  for (const troop of ["K", "L"]) {
    const want = expectedCounts(threads, evs, troop);
    for (const [col, n] of Object.entries(want)) {
      const got = await page.locator(`table.program tr[data-troop="${troop}"] td[data-col="${col}"]`).innerText();
      assert.equal(Number(got), n, `troop ${troop} ${col}`);
      total[col] = (total[col] || 0) + n;
    }
  }
  for (const [col, n] of Object.entries(total))
    assert.equal(Number(await page.locator(`table.program tr[data-troop="all"] td[data-col="${col}"]`).innerText()), n, `total ${col}`);
  assert.ok(total.unassigned > 0 && total.urgent > 0 && total.reportable > 0 && total.requests > 0,
    `the setup gives every column something to count: ${JSON.stringify(total)}`);
  await checkPage(page, "program");

  // each number opens the list it counts
  for (const col of ["unassigned", "fresh", "urgent"]) {
    await page.goto(`${s.base}/program`);
    const n = Number(await page.locator(`table.program tr[data-troop="K"] td[data-col="${col}"]`).innerText());
    await clickAndLoad(page, `table.program tr[data-troop="K"] td[data-col="${col}"] a`);
    const url = new URL(page.url());
    assert.equal(url.searchParams.get("troop"), "K");
    assert.equal(await page.locator("table.threads tbody tr").count(), n, `${col}: the list has the number's threads (${url})`);
    for (const ref of await page.locator("table.threads tbody tr").evaluateAll((rows) => rows.map((r) => r.dataset.ref)))
      assert.ok(ref.startsWith("K-"), `${ref} is troop K's`);
  }
  await page.goto(`${s.base}/program`);
  await clickAndLoad(page, `table.program tr[data-troop="K"] td[data-col="requests"] a`);
  const listed = await page.locator("li.request").evaluateAll((li) => li.map((x) => Number(x.dataset.event)));
  assert.deepEqual(listed.sort(), evs.filter((e) => e.troop === "K" && e.status === "requested").map((e) => e.id).sort());

  const liaison = await newPage();
  await signIn(liaison, s.base, "reyes");
  const r = await liaison.goto(`${s.base}/program`);
  assert.equal(r.status(), 403);
  assert.match(await liaison.locator("[role=alert]").innerText(), /program view of every troop is for the coordinator/);
  assert.equal(await liaison.locator("nav.program a[href='/program']").count(), 0, "no link to it either");
});

browserTest("a saved reply written in Spanish for troop K is offered on a troop K thread", s.getBrowser, async ({ newPage }) => {
  const page = await newPage();
  await signIn(page, s.base, "coordinator");
  await page.goto(`${s.base}/saved`);
  await checkPage(page, "saved");
  await clickAndLoad(page, "a[href='/saved/new']");
  await checkPage(page, "saved-new");
  await page.selectOption("select[name=scope]", "K");
  await page.selectOption("select[name=lang]", "es");
  await page.fill("#saved-name", "visita-escuela");
  await page.fill("#saved-title", "Visita a la escuela");
  // a variable that no thread fills in is refused, with what was typed kept
  await page.fill("#saved-text", "Hola, {{nombre}}:\n\nPodemos visitar la escuela el jueves.\n\n{{liaison_name}}\n");
  const refused = await clickAndLoad(page, "form.saved-edit button[type=submit]");
  assert.equal(refused.status(), 400);
  assert.match(await page.locator("[role=alert]").innerText(), /unknown variable \{\{nombre\}\}/);
  assert.equal(await page.inputValue("#saved-name"), "visita-escuela");
  const file = path.join(s.console.dir, "templates/saved/K/visita-escuela.es.txt");
  assert.ok(!fs.existsSync(file), "nothing written");

  await page.fill("#saved-text", "Hola, {{first_name}}:\r\n\r\nPodemos visitar la escuela el jueves ({{ref}}).\r\n\r\n{{liaison_name}}");
  await clickAndLoad(page, "form.saved-edit button[type=submit]");
  assert.equal(new URL(page.url()).pathname, "/saved/K/visita-escuela.es");
  assert.equal(await page.locator("p.done").innerText(), "Saved reply created.");
  assert.equal(fs.readFileSync(file, "utf8"),
    "# title: Visita a la escuela\nHola, {{first_name}}:\n\nPodemos visitar la escuela el jueves ({{ref}}).\n\n{{liaison_name}}\n");
  await checkPage(page, "saved-edit");
  await page.goto(`${s.base}/saved`);
  assert.match(await page.locator("table.saved[data-scope=K] tr[data-name=visita-escuela]").innerText(), /Visita a la escuela[\s\S]*this troop's own/);
  assert.equal(await page.locator("table.saved[data-scope=L] tr[data-name=visita-escuela]").count(), 0);

  const ref = s.console.ref("maria");
  const liaison = await newPage();
  await signIn(liaison, s.base, "reyes");
  await liaison.goto(`${s.base}/t/${ref}`);
  await liaison.selectOption("select[name=saved]", "visita-escuela.es");
  await clickAndLoad(liaison, "form.saved button[type=submit]");
  const draft = await liaison.inputValue("#reply-text");
  assert.match(draft, /^Hola, María:/);
  assert.ok(draft.includes(`Podemos visitar la escuela el jueves (${ref}).`), draft);
  const bell = await newPage();
  await signIn(bell, s.base, "bell");
  await bell.goto(`${s.base}/t/${s.console.ref("lee")}`);
  assert.equal(await bell.locator("select[name=saved] option[value='visita-escuela.es']").count(), 0, "troop L is not offered troop K's");

  const audit = s.console.json(["--as", "admin", "audit", "--user", "coordinator"]).filter((e) => e.action === "saved-reply-put");
  assert.equal(audit.length, 1, "one write, audited (the refused one is not)");
  assert.equal(audit[0].object, "saved K/visita-escuela.es");

  // a liaison may not write one
  const csrf = await liaison.locator("main").getAttribute("data-csrf");
  const status = await liaison.evaluate(async (csrf) => (await fetch("/saved/put", { method: "POST",
    body: new URLSearchParams({ csrf, scope: "K", name: "mine", lang: "en", text: "Hi" }),
    headers: { "Content-Type": "application/x-www-form-urlencoded" } })).status, csrf);
  assert.equal(status, 403);
  assert.ok(!fs.existsSync(path.join(s.console.dir, "templates/saved/K/mine.en.txt")));

  // and deleted again
  await page.goto(`${s.base}/saved/K/visita-escuela.es`);
  await clickAndLoad(page, "form.saved-delete button");
  assert.equal(await page.locator("p.done").innerText(), "Saved reply deleted.");
  assert.ok(!fs.existsSync(file));
});

browserTest("the audit trail filtered by user shows only that user's entries, and the chain verifies", s.getBrowser, async ({ newPage }) => {
  const page = await newPage();
  await signIn(page, s.base, "coordinator");
  await page.goto(`${s.base}/audit`);
  await checkPage(page, "audit");
  await page.fill("input[name=user]", "reyes");
  await clickAndLoad(page, "form.audit-filters button[type=submit]");
  const users = await page.locator("table.audit tbody td.user").allInnerTexts();
  const cli = s.console.json(["--as", "admin", "audit", "--user", "reyes"]);
  assert.equal(users.length, cli.length, "as many as liaison audit --user reyes lists");
  assert.ok(users.length > 0 && users.every((u) => u === "reyes"), users.join(","));
  const ids = await page.locator("table.audit tbody tr").evaluateAll((r) => r.map((x) => Number(x.dataset.id)));
  assert.deepEqual(ids, cli.map((e) => e.id).reverse(), "newest first");

  await page.selectOption("select[name=action]", "event-request");
  await clickAndLoad(page, "form.audit-filters button[type=submit]");
  const actions = await page.locator("table.audit tbody td.action").allInnerTexts();
  assert.equal(actions.length, cli.filter((e) => e.action === "event-request").length);
  assert.ok(actions.every((a) => a === "event-request"));

  await clickAndLoad(page, "form[action='/audit/verify'] button");
  const result = page.locator(".verify-result");
  assert.equal(await result.getAttribute("data-intact"), "1");
  assert.match(await result.innerText(), /The audit trail is intact: \d+ entries, every link and hash verified/);
  assert.match(s.console.liaison(["--as", "admin", "audit", "verify"]), /^audit trail intact/);
  await checkPage(page, "audit-verified");
});
