"""The lecture's formulas, written once: in general (letters) and for one parameter (numbers)."""

from backprop_widgets.notation import formulas


def test_update_formulas_keep_the_lecture_letters_by_default():
    assert formulas.gradient().latex == (
        r"\frac{\partial E}{\partial \theta^{l}_{ij}} = -\delta^{l+1}_i\, a^{l}_j"
    )
    assert formulas.delta_theta(2).text == "Δθ²ᵢⱼ = η δ³ᵢ a²ⱼ = −η ∂E/∂θ²ᵢⱼ"
    assert formulas.update().latex == (
        r"\theta^{l}_{ij} \leftarrow \theta^{l}_{ij} + \Delta\theta^{l}_{ij}"
    )


def test_update_formulas_for_one_parameter_write_its_shown_indices():
    assert formulas.gradient(2, 1, 1).text == "∂E/∂θ²₁₁ = −δ³₁ a²₁"
    assert formulas.gradient(2, 1, 1).latex == (
        r"\frac{\partial E}{\partial \theta^{2}_{11}} = -\delta^{3}_{1}\, a^{2}_{1}"
    )
    assert formulas.delta_theta(1, 2, 0).latex == (
        r"\Delta\theta^{1}_{20} = \eta\, \delta^{2}_{2}\, a^{1}_{0} = "
        r"-\eta \frac{\partial E}{\partial \theta^{1}_{20}}"
    )
    assert formulas.update(1, 1, 12).latex == (
        r"\theta^{1}_{1,12} \leftarrow \theta^{1}_{1,12} + \Delta\theta^{1}_{1,12}"
    )


def test_indices_take_commas_only_when_one_has_two_digits():
    assert formulas.indices("i", "j") == "ij"
    assert formulas.indices(1, 2) == "12"
    assert formulas.indices(1, 12) == "1,12"


def test_the_weights_that_carry_delta_back_are_those_of_the_layer_it_reaches():
    note = formulas.carries_back(2)
    assert note.text == "(θ² carries δ back from layer 3 to layer 2)"
    assert note.latex == (
        r"\text{(}\theta^{2}\text{ carries }\delta\text{ back from layer 3 to layer 2)}"
    )
