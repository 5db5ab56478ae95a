// The backend badge: a small fixed badge in the top-right corner ("tfjs: webgl") that opens
// a panel listing every backend tried, whether it worked and why not, and the self-check
// error of the one in use. A fallback (the requested backend is not the one used) is drawn
// in the warning colour. Takes the plain report from kernels/backend.ts; holds no tensors.
//
// Markup (for tests and CSS):
//   <div class="ssm-backend-badge [ssm-backend-fallback]" data-backend="webgl"
//        data-requested="wasm" data-fallback="true|false">
//     <button class="ssm-backend-button" aria-expanded="false">tfjs: webgl</button>
//     <div class="ssm-backend-panel" hidden> … <li class="ssm-backend-attempt" data-ok="false"> … </div>
//   </div>

export interface BadgeAttempt { name: string; ok: boolean; reason: string; ms: number; skipped?: boolean }
export interface BadgeReport {
  name: string;
  requested: string | null;
  attempts: readonly BadgeAttempt[];
  selfCheckError: number;
  fallback?: boolean;
}

export function BackendBadge(report: BadgeReport): HTMLElement {
  const fallback = report.fallback ?? (report.requested != null && report.requested !== report.name);
  const root = document.createElement("div");
  root.className = `ssm-backend-badge${fallback ? " ssm-backend-fallback" : ""}`;
  root.dataset.backend = report.name;
  root.dataset.requested = report.requested ?? "";
  root.dataset.fallback = String(fallback);

  const failedRequest = fallback ? report.attempts.find((a) => !a.ok) : undefined;
  const button = root.appendChild(document.createElement("button"));
  button.type = "button";
  button.className = "ssm-backend-button";
  button.textContent = `tfjs: ${report.name}${fallback ? " ⚠" : ""}`;
  button.title = fallback && failedRequest
    ? `${failedRequest.name} was requested but not used: ${failedRequest.reason}`
    : `tensorflow.js runs on the ${report.name} backend; click for details`;
  button.setAttribute("aria-expanded", "false");

  const panel = root.appendChild(document.createElement("div"));
  panel.className = "ssm-backend-panel";
  panel.id = "ssm-backend-panel";
  panel.hidden = true;
  button.setAttribute("aria-controls", panel.id);

  const head = panel.appendChild(document.createElement("p"));
  head.className = "ssm-backend-summary";
  head.textContent = fallback
    ? `Requested ${report.requested}; using ${report.name}.`
    : report.requested ? `Using ${report.name}, as requested.` : `Using ${report.name} (automatic choice).`;

  const list = panel.appendChild(document.createElement("ol"));
  list.className = "ssm-backend-attempts";
  for (const a of report.attempts) {
    const li = list.appendChild(document.createElement("li"));
    li.className = "ssm-backend-attempt";
    li.dataset.ok = String(a.ok);
    li.dataset.name = a.name;
    if (a.skipped) li.dataset.skipped = "true";
    const status = li.appendChild(document.createElement("strong"));
    status.textContent = `${a.name}: ${a.ok ? "ok" : a.skipped ? "not tried" : "failed"}`;
    li.append(a.skipped ? ` — ${a.reason}` : ` (${a.ms} ms) — ${a.reason}`);
  }

  const check = panel.appendChild(document.createElement("p"));
  check.className = "ssm-backend-check";
  check.textContent = `Self-check (3×3 matmul, exp, cumsum against JS): max relative error ${report.selfCheckError.toExponential(1)}.`;

  const hint = panel.appendChild(document.createElement("p"));
  hint.className = "ssm-backend-hint";
  hint.textContent = "Force a backend with ?backend=webgpu, webgl, wasm or cpu in the address.";

  button.addEventListener("click", () => {
    panel.hidden = !panel.hidden;
    button.setAttribute("aria-expanded", String(!panel.hidden));
  });
  return root;
}
