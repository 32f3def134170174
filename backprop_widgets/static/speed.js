// The speed dial: epochs per second while training plays, in stops from 1 to "as fast as it
// goes". It shows Python's value and sends a stop a person picks; Python checks it.

function render({ model, el }) {
  const root = html("div", "bw-speed", el);
  const label = html("label", "bw-speed-label", root, "speed");
  const input = html("input", "bw-speed-input", root);
  input.type = "range";
  input.min = "0";
  input.step = "1";
  const id = `bw-speed-${Math.random().toString(36).slice(2)}`;
  input.id = id;
  label.htmlFor = id;
  const readout = html("span", "bw-speed-readout", root);
  readout.setAttribute("aria-hidden", "true");

  // The stop nearest a value on the dial's log scale; past the last preset: as fast as it goes.
  const stop = (value, presets) => {
    if (value === null) return presets.length;
    let best = 0;
    presets.forEach((p, k) => {
      if (Math.abs(Math.log(p / value)) < Math.abs(Math.log(presets[best] / value))) best = k;
    });
    return best;
  };
  const words = (value) =>
    value === null ? "as fast as it goes" : `${numberText(value)} ${value === 1 ? "epoch" : "epochs"}/s`;

  function draw() {
    const { value, presets } = traits(model, "value", "presets");
    root.dataset.epochsPerSecond = value === null ? "max" : String(value);
    input.max = String(presets.length);
    input.value = String(stop(value, presets));
    readout.textContent = words(value);
    input.setAttribute("aria-valuetext", words(value));
  }
  const choose = (k) => {
    const presets = model.get("presets");
    k = Math.max(0, Math.min(presets.length, k));
    model.set("value", k >= presets.length ? null : presets[k]);
    model.save_changes();
    draw();
  };
  input.addEventListener("input", () => choose(Number(input.value)));
  // The keys move the dial here: a host (JupyterLab's notebook) may keep the arrows for itself.
  const moves = { ArrowRight: 1, ArrowUp: 1, PageUp: 3, ArrowLeft: -1, ArrowDown: -1, PageDown: -3 };
  input.addEventListener("keydown", (event) => {
    const k = Number(input.value);
    const next = event.key === "Home" ? 0 : event.key === "End" ? Infinity : k + (moves[event.key] ?? NaN);
    if (Number.isNaN(next)) return;
    event.preventDefault();
    choose(next);
  });
  model.on("change:value", draw);
  model.on("change:presets", draw);
  draw();
}

export default { render };
