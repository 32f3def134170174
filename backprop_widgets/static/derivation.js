// The derivation panel: MathML written by Python (no MathJax), a button that copies the
// derivation's LaTeX for slides, and a toggle that shows the SymPy expression of ∂E/∂θ.

function copyText(text) {
  if (navigator.clipboard && window.isSecureContext) return navigator.clipboard.writeText(text);
  // Without the clipboard API (plain http, older browsers): select a hidden text area.
  const area = html("textarea", "bw-copy-area", document.body);
  area.value = text;
  area.select();
  const done = document.execCommand("copy");
  area.remove();
  return done ? Promise.resolve() : Promise.reject(new Error("copy refused"));
}

function render({ model, el }) {
  const root = html("div", "bw-derivation-view", el);
  const content = html("div", "bw-derivation-content", root);
  const tools = html("div", "bw-derivation-tools", root);
  const copy = html("button", "bw-copy-latex jupyter-button", tools, "Copy LaTeX");
  copy.type = "button";
  copy.title = "Copy this derivation's LaTeX, for slides";
  const sympy = html("button", "bw-sympy jupyter-button", tools);
  sympy.type = "button";
  const expression = html("div", "bw-sympy-expr", root);

  function draw() {
    content.innerHTML = model.get("value");
    // The instance it is for, on the .bw-derivation element (as on .bw-network and .bw-slice).
    const instanceShown = model.get("instance");
    if (instanceShown >= 0) el.dataset.instance = String(instanceShown);
    else delete el.dataset.instance;
    const selected = model.get("weight") !== "";
    const shown = model.get("show_sympy");
    tools.hidden = !selected;
    sympy.textContent = shown ? "Hide the SymPy expression" : "Show the SymPy expression";
    sympy.setAttribute("aria-pressed", String(shown));
    expression.hidden = !(selected && shown);
    expression.innerHTML = selected && shown ? model.get("sympy") : "";
  }

  copy.addEventListener("click", () => {
    announceCopy(copy, "Copy LaTeX", copyText(model.get("latex")), () => "Copy refused by the browser");
  });
  sympy.addEventListener("click", () => {
    model.set("show_sympy", !model.get("show_sympy"));
    model.save_changes();
  });

  return drawOnChange(model, draw);
}

export default { render };
