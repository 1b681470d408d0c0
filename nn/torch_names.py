"""Where torch's names live here, for the AttributeError of a PyTorch user's ``nn.save``, ``nn.no_grad``, ...

A PyTorch user reaches for ``torch.save``, ``torch.no_grad`` or ``torch.nn.utils`` through the one module they
imported, ``nn``; Python's own "module 'nn' has no attribute 'save'" does not say that the same thing exists
here under another name (a new-user trial found each of these). `missing_attribute` names it.
"""

_GRAD_MODE = "grad mode is the engine's: from autograd import {name} (as torch.{name})"

# torch's name -> what to write here instead.
TORCH_NAMES: dict[str, str] = {
    "save": ("torch.save(model.state_dict(), path) is nn.serialization.save(model, path) here "
             "(optionally nn.serialization.save(model, path, optimizer)): JSON, atomic, no pickle"),
    "load": ("model.load_state_dict(torch.load(path)) is nn.serialization.load(model, path) here "
             "(optionally with the optimizer, as saved)"),
    "no_grad": _GRAD_MODE.format(name="no_grad"),
    "enable_grad": _GRAD_MODE.format(name="enable_grad"),
    "set_grad_enabled": _GRAD_MODE.format(name="set_grad_enabled"),
    "inference_mode": _GRAD_MODE.format(name="inference_mode"),
    "utils": ("torch.nn.utils' functions are in nn itself: nn.clip_grad_norm_, nn.clip_grad_value_, "
              "nn.parameters_to_vector, nn.vector_to_parameters"),
    "manual_seed": ("there is no global generator here: random.seed(n) before building a model (as micrograd), "
                    "or seed=n on the model (MLP(2, [16, 1], seed=0)) or on nn.init's functions (generator=n)"),
    "Parameter": ("every Value attribute of a Module is a parameter: self.w = Value(0.5) "
                  "(from autograd import Value), a list of Values for a weight table"),
    "tensor": "there are no tensors: a number is an autograd.Value, a vector a list of Values",
    "Tensor": "there are no tensors: a number is an autograd.Value, a vector a list of Values",
}


def missing_attribute(module: str, name: str) -> AttributeError:
    """The AttributeError for ``module.name``: Python's words, plus where torch's ``name`` lives here if known."""
    message = f"module {module!r} has no attribute {name!r}"
    hint = TORCH_NAMES.get(name)
    return AttributeError(f"{message}; {hint}" if hint else message, name=name)
