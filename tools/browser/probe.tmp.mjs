import {openPage, serve, launch} from "./harness.mjs";
const server = await serve("dist"); const browser = await launch();
for (const p of ["/continuous", "/hippo", "/discretization", "/views"]) {
const s = await openPage(browser, server.origin, p, {viewport: {width: 390, height: 900}});
await s.page.waitForSelector(".ssm-figure-chart > svg", {timeout: 90000}).catch(() => {});
await s.page.waitForTimeout(1500);
console.log(p, JSON.stringify(await s.page.evaluate(() => [...document.querySelectorAll(".katex-display")].filter((d) => d.scrollWidth > d.clientWidth + 1 || d.getBoundingClientRect().right > innerWidth).map((d) => {
  const chain = []; let e = d; for (let i = 0; i < 4 && e; i++, e = e.parentElement) chain.push(`${e.tagName}.${e.className}:${getComputedStyle(e).overflowX}:${e.clientWidth}/${e.scrollWidth}`);
  return chain.join(" < ");
}))));
await s.context.close();
}
await browser.close(); await server.close();
