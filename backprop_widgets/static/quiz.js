// The δ quiz's answer boxes, one under each node of the network diagram drawn above them.
// Python judges every entry and sends back a mark per box; this module only draws the boxes,
// the marks and the message, and reports what was typed.

// As in network.js's annotated layout: each layer's column is COL_W wide (the output's notes
// stand under its node, inside its column). The boxes' columns take the same shares of the
// width, so each box sits under its node.
const COL_W = 190;

function render({ model, el }) {
  const root = html("div", "bw-quiz", el);
  const columns = html("div", "bw-quiz-columns", root);
  const controls = html("div", "bw-quiz-controls", root);
  const button = html("button", "bw-quiz-check jupyter-button widget-button", controls);
  button.type = "button";
  button.textContent = "Check";
  const message = html("div", "bw-quiz-message", controls);
  message.setAttribute("role", "status");
  message.setAttribute("aria-live", "polite");
  const given = html("div", "bw-quiz-given", root);

  let fields = new Map(); // "l,i" -> {row, input, mark}

  const typed = () => Object.fromEntries([...fields].map(([key, f]) => [key, f.input.value]));
  const check = () => model.send({ type: "check", entries: typed() });

  function build() {
    columns.replaceChildren();
    fields = new Map();
    const layers = model.get("columns");
    const total = Math.max(2, layers.length) * COL_W;
    for (const layer of layers) {
      const column = html("div", "bw-quiz-column", columns);
      column.style.flexBasis = `${(100 * COL_W) / total}%`;
      for (const node of layer.nodes) {
        const row = html("div", "bw-quiz-node", column);
        row.dataset.node = node.key;
        const value = html("div", "bw-quiz-given-value", row);
        value.innerHTML = node.given_math; // MathML made in Python from our own numbers
        value.title = node.given;
        if (!node.label) continue;
        const label = html("label", "bw-quiz-label", row);
        html("span", "bw-quiz-symbol", label).innerHTML = node.label_math;
        const input = html("input", "bw-quiz-input", label);
        Object.assign(input, { type: "text", inputMode: "decimal", autocomplete: "off", spellcheck: false });
        input.dataset.node = node.key;
        input.setAttribute("aria-label", node.label);
        const mark = html("div", "bw-quiz-mark", row);
        input.addEventListener("input", () => {
          model.set("entries", typed());
          model.save_changes();
        });
        input.addEventListener("keydown", (event) => {
          if (event.key === "Enter") {
            event.preventDefault();
            check();
          }
        });
        fields.set(node.key, { row, input, mark });
      }
    }
  }

  function update() {
    const entries = model.get("entries");
    const marks = model.get("marks");
    for (const [key, f] of fields) {
      const text = entries[key] ?? "";
      // Never overwrite the box someone is typing in.
      if (f.input.value !== text && document.activeElement !== f.input) f.input.value = text;
      const state = marks[key]?.state ?? "";
      f.row.dataset.state = state;
      f.input.classList.toggle("bw-right", state === "right");
      f.input.classList.toggle("bw-wrong", state === "wrong" || state === "close");
      f.input.classList.toggle("bw-invalid", state === "invalid");
      f.input.setAttribute("aria-invalid", String(["wrong", "close", "invalid"].includes(state)));
      f.mark.textContent = marks[key]?.text ?? "";
    }
    message.innerHTML = model.get("message_math"); // escaped in Python, formulas as MathML
    root.classList.toggle("bw-solved", model.get("solved"));
    given.innerHTML = model.get("notes_math");
    given.setAttribute("aria-label", model.get("notes").join("\n"));
  }

  button.addEventListener("click", check);
  model.on("change:columns", () => {
    build();
    update();
  });
  for (const name of ["entries", "marks", "message", "solved", "notes", "notes_math", "message_math"]) {
    model.on(`change:${name}`, update);
  }
  build();
  update();
}

export default { render };
