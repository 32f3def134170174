"""Your own data in a playground: given as arrays or a DataFrame, uploaded as a CSV, or drawn.

``YourData`` changes the playground's data three ways, each checked before anything changes:

- ``set`` (``pg.set_data``, and the upload in the settings panel): new rows; the network starts
  again from its initial weights, sized for them;
- ``drawn`` (a gesture on the decision surface): one point added, moved or removed; the network
  and the books of training stay, and training picks the new data up at once;
- ``undo_drawing``: back to the data as it was before the first point was drawn.
"""

from __future__ import annotations

import codecs

import numpy as np

from ...engine import own_data
from ..drawn_points import PointEdit
from . import sources
from .settings import OWN

MAX_UPLOAD_BYTES = 5_000_000


class YourData:
    """The playground ``pg``'s own data, and the drawing and upload that change it."""

    def __init__(self, pg) -> None:
        self.pg = pg
        self.before_drawing: tuple | None = None  # (dataset, own data) before the first point
        pg.controls.upload.observe(self.uploaded, "value")
        pg.controls.upload_outputs.observe(lambda _: self.pg.say(""), "value")

    def set(self, X, Y=None, target=None) -> None:
        """New rows as the training (and test) data: arrays, or a DataFrame with ``target``."""
        X, Y = sources.read(X, Y, target)
        Y = sources.as_classes(Y, self.pg.settings.output_activation)
        shape = f"{len(X)} rows, {X.shape[1]} input(s), {Y.shape[1]} output(s)"
        self._take(X, Y, f"Your data: {shape}.")

    def _take(self, X: np.ndarray, Y: np.ndarray, said: str) -> None:
        pg, settings = self.pg, self.pg.settings
        sources.check_rows(X, Y, settings.output_activation)
        own = sources.OwnData.split(X, Y, settings.test_fraction)
        pg.pause()
        self.before_drawing = None
        pg._quiet = True
        try:
            settings.own = own
            pg.controls.show_datasets(settings, OWN)
        finally:
            pg._quiet = False
        pg._rebuild(data=True, said=said)

    # -- the upload in the settings panel --------------------------------------------------

    def uploaded(self, change) -> None:
        """A CSV chosen in the settings panel: read, checked, and made the data; a bad file is
        refused with the reason, and nothing changes."""
        files = change["new"]
        if not files:
            return
        upload = files[0]
        name = upload.get("name", "the file")
        try:
            self._take(*self.read_upload(upload), f"Loaded {name}.")
        except (TypeError, ValueError) as error:
            self.pg.say(f"Could not use {name}: {error}", error=True)
        finally:
            self.pg.controls.upload.value = ()

    def read_upload(self, upload: dict) -> tuple[np.ndarray, np.ndarray]:
        """(X, Y) from an uploaded file: the last ``upload_outputs`` columns are targets; with a
        softmax output a single column of class labels 0 … K−1 becomes one-hot rows."""
        content = bytes(upload.get("content", b""))
        name = upload.get("name", "the file")
        if not content.strip():
            raise ValueError(f"{name} is empty")
        if len(content) > MAX_UPLOAD_BYTES:
            raise ValueError(f"{name} is {len(content):,} bytes; at most {MAX_UPLOAD_BYTES:,}")
        try:
            text = codecs.decode(content, "utf-8-sig")
        except UnicodeDecodeError:
            raise ValueError(f"{name} is not UTF-8 text (a CSV of numbers)") from None
        outputs = self.pg.controls.upload_outputs.value
        X, Y = own_data.from_csv_text(text, outputs, where=name)
        return X, sources.as_classes(Y, self.pg.settings.output_activation, name)

    # -- drawing on the decision surface ---------------------------------------------------

    def drawn(self, edit: PointEdit) -> str:
        """Apply a checked gesture: the data becomes your own (the dataset's points and the
        new one), training goes on with it at once. Returns what to say; raises to refuse."""
        pg, settings = self.pg, self.pg.settings
        if edit.action == "clear":
            return self.undo_drawing()
        own = settings.own if settings.dataset == OWN else None
        if own is None:
            session = pg.session
            own = sources.OwnData.of(session.X, session.Y, session.X_test, session.Y_test)
        own = own.edited(edit, pg.surface.output)
        sources.check_rows(own.X, own.Y, settings.output_activation)
        if self.before_drawing is None:
            self.before_drawing = (settings.dataset, settings.own)
        self._use(OWN, own)
        what = {"add": "added", "move": "moved", "remove": "removed"}[edit.action]
        return f"Point {what}: {len(own.X)} points ({int((~own.is_test).sum())} for training)."

    def undo_drawing(self) -> str:
        """Back to the data from before the first point was drawn, moved or removed."""
        if self.before_drawing is None:
            return "Nothing drawn to undo."
        dataset, own = self.before_drawing
        self.before_drawing = None
        self._use(dataset, own)
        return "Back to the data from before drawing."

    def _use(self, dataset: str, own) -> None:
        """Train on this data from now on, with the network and the books as they are."""
        pg, settings = self.pg, self.pg.settings
        pg._quiet = True
        try:
            settings.own = own
            pg.controls.show_datasets(settings, dataset)
            data = settings.data()
            pg.session.replace_data(*data)
            pg.controls.show_settings(settings, len(data[0]))
        finally:
            pg._quiet = False
        pg.presenter.attach()
        pg.refresh(derive=pg.selected is not None)

    def classes(self) -> list[float]:
        """The classes a drawn point may take (see ``sources.drawing_classes``)."""
        session = self.pg.session
        Y = np.concatenate([session.Y, session.Y_test])
        return sources.drawing_classes(Y, self.pg.settings.output_activation)
