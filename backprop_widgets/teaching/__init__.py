"""Teaching: the exercise sheet, reading and judging answers, the catalogue of mistakes.

- ``exercises``: each exercise declared once (``Exercise``, ``REGISTRY``) and the ``check_``,
  ``assert_`` and ``hint_`` functions made from it;
- ``sheet``: the sheet's networks, instances and learning rate, and ``describe``;
- ``rules``, ``signs``, ``divergence``, ``deltas``: how each exercise judges an answer;
- ``mistakes``: the likely wrong answers, and what to say about each;
- ``carried``: credit carried forward, an answer judged against the student's earlier ones;
- ``answers``: reading numbers and judging them (``Verdict``); ``feedback``: ``Feedback``, ``Hint``.

Students use it through ``backprop_widgets.exercises``, which adds the two exercises drawn as
widgets.
"""
