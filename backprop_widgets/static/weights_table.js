// The weights table: one small table per layer of boxes holding every θ as exact text (Python's
// repr, never a JavaScript number, so nothing is rounded). What is typed is sent to Python as
// {type: "edit", weight: "l,i,j", text}; Python checks it and answers with the numbers, or with
// an error and the same numbers, which put the box back. This module decides nothing.

// The clipboard API exists only in secure contexts (https, localhost); elsewhere the code is
// shown selected, for Ctrl+C.
function copyCode(text) {
  if (navigator.clipboard && window.isSecureContext) return navigator.clipboard.writeText(text);
  return Promise.reject(new Error("no clipboard"));
}

function selectText(node) {
  const range = document.createRange();
  range.selectNodeContents(node);
  const selection = window.getSelection();
  selection.removeAllRanges();
  selection.addRange(range);
}

// Every box of a layer's table as wide as its longest number (in ch of the code font), so
// the columns line up; at least 6.
const boxWidth = (texts) => `${Math.max(6, ...texts.map((text) => text.length + 1))}ch`;

function render({ model, el }) {
  const root = html("div", "bw-weights-table", el);
  const layers = html("div", "bw-weights-layers", root);
  const tools = html("div", "bw-weights-tools", root);
  const undo = html("button", "bw-weights-undo jupyter-button", tools, "Undo");
  undo.type = "button";
  const copy = html("button", "bw-weights-copy jupyter-button", tools, "Copy as Python");
  copy.type = "button";
  copy.title = "Show and copy the lines that set these weights on an MLP";
  copy.setAttribute("aria-expanded", "false");
  const status = html("div", "bw-weights-status", tools);
  status.setAttribute("role", "status");
  status.setAttribute("aria-live", "polite");
  const error = html("div", "bw-weights-error", status);
  const note = html("div", "bw-weights-note", status);
  const codeBox = html("div", "bw-weights-code-box", root);
  codeBox.hidden = true;
  const code = html("pre", "bw-weights-code", codeBox);
  code.tabIndex = 0;
  code.setAttribute("aria-label", "Python code that sets these weights");
  const hide = html("button", "bw-weights-hide-code jupyter-button", codeBox, "Hide the code");
  hide.type = "button";

  let boxes = new Map(); // "l,i,j" -> input
  let grids = []; // [table, its keys] per layer
  let tablesShown = null;
  let pending = null; // the box whose entry was sent, until Python answers

  function build() {
    layers.replaceChildren();
    boxes = new Map();
    grids = [];
    for (const layer of model.get("tables")) {
      const block = html("section", "bw-weights-layer", layers);
      const heading = html("div", "bw-weights-title", block);
      html("b", "bw-weights-theta", heading, layer.title);
      html("span", "bw-weights-caption", heading, `: ${layer.caption}`);
      html("div", "bw-weights-legend", block, `rows ${layer.rows_are}; columns ${layer.columns_are}`);
      const scroller = html("div", "bw-weights-scroll", block);
      const table = html("table", "", scroller);
      grids.push([table, layer.keys.flat()]);
      const head = html("tr", "", html("thead", "", table));
      html("th", "bw-weights-corner", head, "i \\ j").scope = "col";
      for (const column of layer.columns) html("th", "", head, column).scope = "col";
      const body = html("tbody", "", table);
      layer.rows.forEach((label, i) => {
        const row = html("tr", "", body);
        html("th", "", row, label).scope = "row";
        layer.keys[i].forEach((key, n) => {
          const cell = html("td", key.endsWith(",bias") ? "bw-weights-bias" : "", row);
          const input = html("input", "bw-weights-input", cell);
          Object.assign(input, { type: "text", inputMode: "decimal", autocomplete: "off", spellcheck: false });
          input.dataset.weight = key;
          input.title = layer.names[i][n];
          input.setAttribute("aria-label", layer.names[i][n]);
          listen(input);
          boxes.set(key, input);
        });
      });
    }
  }

  // Typed but not yet sent: a box a person is editing keeps their text while numbers arrive.
  const editing = (input) => input.value !== input.dataset.shown;

  let sent = null; // the text last sent from the pending box (Enter also fires "change")
  function send(input) {
    if (!editing(input) || (input === pending && input.value === sent)) return;
    pending = input;
    sent = input.value;
    input.classList.add("bw-pending");
    model.send({ type: "edit", weight: input.dataset.weight, text: input.value });
  }

  function listen(input) {
    input.addEventListener("keydown", (event) => {
      if (event.key === "Enter") {
        event.preventDefault();
        send(input);
      } else if (event.key === "Escape") {
        input.value = input.dataset.shown;
      }
    });
    input.addEventListener("change", () => send(input));
    input.addEventListener("input", () => input.removeAttribute("aria-invalid"));
  }

  let revision = -1;
  function draw() {
    const tables = model.get("tables");
    if (tables !== tablesShown) {
      tablesShown = tables;
      build();
    }
    const answered = model.get("revision") !== revision;
    revision = model.get("revision");
    const refused = model.get("error") !== "";
    const values = model.get("values");
    const invalid = model.get("refused"); // the key of the box whose entry was refused, or ""
    for (const [key, input] of boxes) {
      const text = values[key] ?? "";
      const answer = input === pending && answered;
      if (answer) input.classList.remove("bw-pending");
      // Keep what a person is typing into a box (not yet sent); everything else shows Python's.
      if (editing(input) && input === document.activeElement && !answer) continue;
      input.toggleAttribute("aria-invalid", key === invalid);
      if (input.dataset.shown !== text || input.value !== text) {
        input.value = text;
        input.dataset.shown = text;
      }
    }
    for (const [table, keys] of grids) table.style.setProperty("--bw-box", boxWidth(keys.map((key) => values[key] ?? "")));
    if (answered) pending = null;
    error.textContent = model.get("error");
    note.textContent = refused ? "" : model.get("note");
    const label = model.get("undo_label");
    undo.disabled = label === "";
    undo.title = label || "Nothing to undo";
    if (!codeBox.hidden) code.textContent = model.get("code");
  }

  undo.addEventListener("click", () => model.send({ type: "undo" }));
  copy.addEventListener("click", () => {
    code.textContent = model.get("code");
    codeBox.hidden = false;
    copy.setAttribute("aria-expanded", "true");
    announceCopy(copy, "Copy as Python", copyCode(model.get("code")), () => {
      selectText(code);
      return "Selected: press Ctrl+C to copy";
    });
  });
  hide.addEventListener("click", () => {
    codeBox.hidden = true;
    copy.setAttribute("aria-expanded", "false");
    copy.focus();
  });

  return drawOnChange(model, draw);
}

export default { render };
