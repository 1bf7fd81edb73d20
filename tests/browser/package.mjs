// The check of a production package downloaded from the console, made outside the browser as
// a records officer's recipient would: unzip, one folder inside, `sha256sum -c SHA256SUMS`
// passes, and each withheld or redacted text is in no file of the package, the PDFs' text
// included (read with pdftotext; its readability is shown by a text that must be there).
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";

function sh(cmd, args, opts = {}) {
  return execFileSync(cmd, args, { encoding: "utf8", stdio: ["ignore", "pipe", "pipe"], ...opts });
}

// grep -rlF: the files under dir holding text ("" when none)
function filesHolding(dir, text) {
  try {
    return sh("grep", ["-rlF", "--", text, dir]);
  } catch (e) {
    if (e.status === 1) return "";
    throw e;
  }
}

// Unzips zip into a new folder under work and checks it.  absent: texts in no file and no
// PDF's text; present: texts some PDF's text must hold.  Returns { folder, pdfs, text }.
export function checkProductionZip(zip, work, { absent = [], present = [] } = {}) {
  const out = path.join(work, "out");
  sh("unzip", ["-q", zip, "-d", out]);
  const top = fs.readdirSync(out);
  assert.deepEqual(top, [path.basename(zip).replace(/\.zip$/, "")], "the package's folder is the zip's one entry at the top");
  const folder = path.join(out, top[0]);
  const checked = sh("sha256sum", ["-c", "SHA256SUMS"], { cwd: folder });
  assert.ok(!/FAILED/.test(checked) && /OK/.test(checked), `sha256sum -c SHA256SUMS passes:\n${checked}`);
  for (const f of ["README.txt", "manifest.csv", "production.dat", "withholding-log.csv"])
    assert.ok(fs.existsSync(path.join(folder, f)), `${f} is in the package`);
  const pdfs = fs.readdirSync(path.join(folder, "pdf")).filter((f) => f.endsWith(".pdf"));
  let text = "";
  for (const p of pdfs) text += sh("pdftotext", [path.join(folder, "pdf", p), "-"]);
  for (const t of present) assert.ok(text.includes(t), `the PDFs' text holds "${t}" (so it is read)`);
  for (const t of absent) {
    assert.equal(filesHolding(folder, t), "", `"${t}" is in no file of the package`);
    assert.ok(!text.includes(t), `"${t}" is in no PDF's text`);
  }
  return { folder, pdfs, text };
}
