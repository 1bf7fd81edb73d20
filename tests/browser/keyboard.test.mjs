// The keyboard: j and k select rows of the inbox, Enter opens the selected thread, / goes to
// the search, ? shows the list of keys (Escape hides it); on a thread n goes to the note, r to
// the reply and a takes the thread. Keys typed into a field are text, not commands.
import assert from "node:assert/strict";
import { browserTest, setup, signIn, eml } from "./lib.mjs";

const s = setup({ name: "keys" }, (c) => {
  const msgs = {};
  for (const [i, who] of ["ann", "bob", "cy"].entries())
    msgs[`${who}.eml`] = eml({ from: `${who} <${who}@example.org>`, subject: `Question ${i + 1} from ${who}`,
      body: `A question from ${who}.\n`, id: `${who}-1@example.org`, date: `Mon, 03 Mar 2025 1${i}:00:00 -0500` });
  c.importMessages("K", msgs);
});

async function selected(page) {
  return page.evaluate(() => {
    const rows = [...document.querySelectorAll("table.threads tbody tr")];
    const marked = rows.map((r, i) => (r.classList.contains("selected") ? i : -1)).filter((i) => i >= 0);
    const focus = document.activeElement?.closest("tr")?.dataset.ref || null;
    return { marked, focus, refs: rows.map((r) => r.dataset.ref) };
  });
}

const active = (page) => page.evaluate(() => document.activeElement?.id || document.activeElement?.tagName);

browserTest("j and k select rows, Enter opens, / searches, ? shows the keys", s.getBrowser, async ({ newPage }) => {
  const page = await newPage();
  await signIn(page, s.base, "reyes");
  await page.goto(`${s.base}/?view=all`);
  let st = await selected(page);
  assert.equal(st.refs.length, 3);
  assert.deepEqual(st.marked, [], "nothing selected at first");
  await page.keyboard.press("j");
  st = await selected(page);
  assert.deepEqual(st.marked, [0]);
  assert.equal(st.focus, st.refs[0], "the selected row's link has the focus");
  await page.keyboard.press("j");
  await page.keyboard.press("j");
  await page.keyboard.press("j"); // past the last row: stays on it
  st = await selected(page);
  assert.deepEqual(st.marked, [2]);
  await page.keyboard.press("k");
  st = await selected(page);
  assert.deepEqual(st.marked, [1]);
  assert.equal(st.focus, st.refs[1]);

  await page.keyboard.press("?");
  const help = page.locator("#help");
  await help.waitFor({ state: "visible" });
  assert.match(await help.innerText(), /Keyboard[\s\S]*j \/ k[\s\S]*next \/ previous thread/);
  await page.keyboard.press("Escape");
  await help.waitFor({ state: "hidden" });

  await page.keyboard.press("/");
  assert.equal(await active(page), "q", "/ goes to the search field");
  await page.keyboard.type("jk");
  assert.equal(await page.inputValue("#q"), "jk", "keys in a field are text");
  assert.deepEqual((await selected(page)).marked, [1], "and move nothing");
  await page.evaluate(() => document.activeElement.blur());

  await Promise.all([page.waitForURL(`${s.base}/t/${st.refs[1]}`), page.keyboard.press("Enter")]);
  await page.locator("article.thread").waitFor();
});

browserTest("on a thread: n goes to the note, r to the reply, a takes it", s.getBrowser, async ({ newPage }) => {
  const page = await newPage();
  await signIn(page, s.base, "walsh");
  const ref = s.console.ref("bob");
  await page.goto(`${s.base}/t/${ref}`);
  await page.keyboard.press("n");
  assert.equal(await active(page), "note-text");
  await page.keyboard.type("r");
  assert.equal(await page.inputValue("#note-text"), "r", "typed into the note, not a command");
  await page.evaluate(() => document.activeElement.blur());
  await page.keyboard.press("r");
  assert.equal(await active(page), "reply-text");
  await page.evaluate(() => document.activeElement.blur());
  await page.keyboard.press("/");
  assert.equal(await active(page), "q");
  await page.evaluate(() => document.activeElement.blur());
  await Promise.all([page.waitForURL(/\?done=take$/), page.keyboard.press("a")]);
  assert.equal(await page.locator("p.done").innerText(), "The thread is yours.");
  assert.equal(await page.locator("dl.facts dt:text-is('Assignee') + dd").innerText(), "walsh");
});
