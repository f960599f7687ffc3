// Lists what caniemail (caniemail.com's data, npm package caniemail) says
// mail clients do not support, or support only in part, in HTML emails.
//
//   node scripts/caniemail.mjs [--json] file.html...
//
// The package is loaded from .cache/caniemail, where
// scripts/services.sh --with-caniemail puts it (CANIEMAIL_DIR names
// another). Clients: the Gmail, Outlook, Apple Mail and Yahoo apps and
// webmails, or the families in CANIEMAIL_CLIENTS (comma-separated).
// caniemail 2.0.2 throws for a client its data lacks a feature for; such
// clients are listed as skipped rather than stopping the check.
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const dir = process.env.CANIEMAIL_DIR || join(root, '.cache', 'caniemail');
const { caniemail } = await import(pathToFileURL(join(dir, 'node_modules', 'caniemail', 'dist', 'index.js')).href);

// caniemail 2.0.2's clients, by family (it exports no list).
const allClients = [
  'apple-mail.ios', 'apple-mail.macos',
  'gmail.android', 'gmail.desktop-webmail', 'gmail.ios', 'gmail.mobile-webmail',
  'outlook.android', 'outlook.ios', 'outlook.macos', 'outlook.outlook-com', 'outlook.windows', 'outlook.windows-mail',
  'yahoo.android', 'yahoo.desktop-webmail', 'yahoo.ios',
];
const families = (process.env.CANIEMAIL_CLIENTS || 'gmail,outlook,apple-mail,yahoo').split(',');
const clients = allClients.filter((c) => families.includes(c.split('.')[0]));

const args = process.argv.slice(2);
const json = args[0] === '--json';
const files = json ? args.slice(1) : args;
const report = {};
for (const file of files) {
  const html = readFileSync(file, 'utf8');
  const out = { unsupported: {}, partial: {}, skipped: [] };
  for (const client of clients) {
    let r;
    try {
      r = caniemail({ clients: [client], html });
    } catch (e) {
      out.skipped.push(`${client}: ${e.message}`);
      continue;
    }
    for (const [kind, issues] of [['unsupported', r.issues.errors], ['partial', r.issues.warnings]]) {
      for (const [c, list] of issues) {
        for (const i of list) (out[kind][i.title] ??= []).push(c);
      }
    }
  }
  report[file] = out;
}
if (json) {
  console.log(JSON.stringify(report));
} else {
  for (const [file, out] of Object.entries(report)) {
    console.log(file);
    for (const kind of ['unsupported', 'partial']) {
      const titles = Object.keys(out[kind]).sort();
      console.log(`  ${kind}: ${titles.length}`);
      for (const t of titles) console.log(`    ${t}: ${[...new Set(out[kind][t])].sort().join(', ')}`);
    }
    for (const s of out.skipped) console.log(`  skipped ${s}`);
  }
}
