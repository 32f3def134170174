"""nbgrader's settings for the exercise sheet as an assignment (README, "Grading with nbgrader").

Copy this file and `source/` into a course directory, then run `nbgrader generate_assignment
backprop`. The assignment is `source/backprop/backprop.ipynb`, generated from
`notebooks/02_exercises.ipynb` by `build_assignment.py`: never edit it by hand.
"""

c = get_config()  # noqa: F821 - nbgrader provides it

c.CourseDirectory.course_id = "backprop_widgets"
# Each answer cell keeps its `name = None` line; the solution region below it is removed.
c.ClearSolutions.code_stub = {"python": ""}
# Exercise 10's checker trains a small network for 100 epochs: seconds, not minutes.
c.Execute.timeout = 120
