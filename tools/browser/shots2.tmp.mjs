import {openPage, serve, launch} from "./harness.mjs";
const server = await serve("dist"); const browser = await launch();
const out = "/tmp/comp-shots2"; (await import("node:fs")).mkdirSync(out, {recursive: true});
async function exp(s, figSel, name, o) {
  const fig = s.page.locator(figSel).first();
  await fig.scrollIntoViewIfNeeded();
  await fig.locator(".ssm-export-toggle").click();
  await fig.locator('select[data-export="aspect"]').selectOption(o.aspect);
  await fig.locator('input[data-export="talk"]').setChecked(!!o.talk);
  await fig.locator('input[data-export="burn"]').setChecked(!!o.burn);
  await fig.locator('input[data-export="dark"]').setChecked(!!o.dark);
  const [d] = await Promise.all([s.page.waitForEvent("download"), fig.locator(`button[data-export="${o.kind ?? "png-2"}"]`).click()]);
  await d.saveAs(`${out}/${name}-${d.suggestedFilename()}`); console.log("export", d.suggestedFilename());
  if (o.menu) await s.page.screenshot({path: `${out}/menu-${name}.png`});
  await fig.locator(".ssm-export-toggle").click();
}
const s = await openPage(browser, server.origin, "/discretization?L=200", {viewport: {width: 1280, height: 900}, colorScheme: "light"});
await s.page.waitForSelector(".ssm-figure-chart > svg", {timeout: 90000}); await s.page.waitForTimeout(3000);
await exp(s, '.ssm-figure[data-filename="discretization-response"]', "resp", {aspect: "16x9", talk: true, burn: true, menu: true});
await exp(s, '.ssm-figure:has(figcaption)', "cap", {aspect: "16x9", talk: true, burn: true, dark: true});
console.log(s.errors);
await s.context.close();
for (const p of (process.env.PAGES ?? "/continuous,/hippo,/family").split(",")) for (const m of ["1280-light", "1280-dark", "390-dark"]) {
  const [w, scheme] = m.split("-");
  const t = await openPage(browser, server.origin, p, {viewport: {width: +w, height: 900}, colorScheme: scheme});
  await t.page.waitForSelector(".ssm-figure-chart > svg", {timeout: 90000}).catch(() => {});
  await t.page.waitForTimeout(2500);
  await t.page.screenshot({path: `${out}/${p.slice(1)}-${m}.png`, fullPage: true});
  console.log(p, m, t.errors.slice(0, 3));
  await t.context.close();
}
await browser.close(); await server.close();
