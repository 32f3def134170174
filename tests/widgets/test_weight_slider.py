"""The θ slider tells a person's edit from the browser's echo of what Python sent."""

import ipywidgets as w

import backprop_widgets as bw
from backprop_widgets.widgets.playground.selection import WeightSlider


def slider_and_edits():
    edits = []
    slider = w.FloatSlider(0.0, min=-4.0, max=4.0, step=None)
    return WeightSlider(slider, edits.append), slider, edits


def test_the_old_value_clamped_into_a_new_range_is_an_echo_not_an_edit():
    # Another weight is clicked while the slider shows a large θ: the browser clamps the value
    # it shows into the new, smaller range and sends that back before the new value arrives.
    net = bw.MLP([2, 2, 1], seed=0)
    net.set_parameter(1, 0, 1, 9.5)
    net.set_parameter(0, 0, 0, -5.9)
    weight, slider, edits = slider_and_edits()
    weight.show(net, (1, 0, 1))
    assert slider.value == 9.5
    weight.show(net, (0, 0, 0))
    assert (slider.min, slider.max, slider.value) == (-9.0, 9.0, -5.9)
    slider.value = 9.0  # the browser's clamped echo
    assert edits == []
    slider.value = 2.5  # a person's drag
    assert edits == [2.5]


def test_values_sent_recently_are_echoes():
    net = bw.MLP([2, 2, 1], seed=0)
    weight, slider, edits = slider_and_edits()
    weight.show(net, (0, 1, 0))
    sent = net.get_parameter(0, 1, 0)
    slider.value = sent + 0.5  # a person
    slider.value = sent  # the echo of the value shown before
    assert edits == [sent + 0.5]
