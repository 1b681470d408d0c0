"""torch's ``module.to(...)``, ``.double()``, ``.cpu()``, ``.type(...)`` requests, read without importing torch.

Every Value holds one Python float: IEEE float64, on the CPU. So a request
for float64 or the CPU is what a module already is (torch then returns the
module itself, and so does `Module`), and any other dtype or device cannot be
honoured: `UnsupportedConversion` names what was asked and why, rather than
a module that silently stays float64 while the user believes it is float32
or on a GPU. A torch dtype or device is read by its class name and ``str()``
(``torch.float64``, ``cuda:0``), so nn never imports torch. What torch's own
Module refuses is refused too (a string as a dtype in ``to``, numpy's dtypes,
``copy=``): a script that runs here runs in torch.
"""

from __future__ import annotations

import re
from typing import Any

from .numbers_in_messages import short_repr

#: The dtypes torch and numpy name, by every spelling a request may use (torch's str() drops "torch."; numpy's
#: short codes; torch's old tensor type names for Module.type), with torch's name for each. float64 is the one
#: a module here has; the others are recognised so the error can say it is a dtype this engine cannot hold.
DTYPES = {
    **dict.fromkeys(("float64", "double", "f8", "<f8", "DoubleTensor"), "float64"),
    **dict.fromkeys(("float32", "float", "f4", "<f4", "FloatTensor"), "float32"),
    **dict.fromkeys(("float16", "half", "f2", "<f2", "HalfTensor"), "float16"),
    "bfloat16": "bfloat16", "BFloat16Tensor": "bfloat16", "float8_e4m3fn": "float8_e4m3fn",
    "float8_e5m2": "float8_e5m2", "longdouble": "longdouble", "float128": "float128",
    **dict.fromkeys(("int8", "CharTensor"), "int8"), **dict.fromkeys(("int16", "short", "ShortTensor"), "int16"),
    **dict.fromkeys(("int32", "int", "IntTensor"), "int32"), **dict.fromkeys(("int64", "long", "LongTensor"), "int64"),
    **dict.fromkeys(("uint8", "ByteTensor"), "uint8"), "uint16": "uint16", "uint32": "uint32", "uint64": "uint64",
    **dict.fromkeys(("bool", "BoolTensor"), "bool"), **dict.fromkeys(("complex32", "chalf"), "complex32"),
    **dict.fromkeys(("complex64", "cfloat"), "complex64"), **dict.fromkeys(("complex128", "cdouble"), "complex128"),
}
#: torch's device types other than the CPU (torch.device's list): recognised, so the error says why not.
OTHER_DEVICES = frozenset({
    "cuda", "mps", "xpu", "xla", "meta", "hip", "ipu", "hpu", "mtia", "maia", "vulkan", "lazy", "ve", "ort",
    "mkldnn", "opengl", "opencl", "ideep", "fpga", "privateuseone",
})
WHY = ("valuegrad is a scalar float64 engine on the CPU: every Value holds one Python float (IEEE float64), so a "
       "module is always float64 on the CPU and has no other copy to make")
#: Module.to's keywords that change nothing here (a scalar has no transfer to overlap and no memory layout).
#: Not ``copy``: tensor.to takes it, but torch's Module.to refuses it (".to() does not accept copy argument").
QUIET_KEYWORDS = ("non_blocking", "memory_format")
#: torch's device indices are C long longs: a larger int is its "Overflow when unpacking long long".
LARGEST_INDEX = 2**63 - 1


class UnsupportedConversion(NotImplementedError, ValueError):
    """A dtype or device valuegrad cannot hold (float32, half, "cuda", "mps", ...): a NotImplementedError (so a
    RuntimeError, as torch's "not compiled with CUDA") and a ValueError."""


class UnknownDeviceOrDtype(RuntimeError, ValueError):
    """A string that names no device or dtype ("banana"): a RuntimeError, as torch's, and a ValueError."""


def _torch_kind(x: Any) -> str | None:
    """"dtype" or "device" for a torch.dtype or torch.device object (by its class, without importing torch)."""
    kind = type(x)
    if kind.__module__ == "torch" and kind.__name__ in ("dtype", "device"):
        return kind.__name__
    return None


def _dtype_name(x: Any) -> str | None:
    """The dtype ``x`` names ("float64", "float32", ...), or None if it names none.

    A torch dtype (``torch.float64``), a numpy dtype or scalar type (``np.float64``), Python's ``float``
    (torch reads it as float64), or a string: ``"float64"``, ``"torch.float64"``, ``"torch.DoubleTensor"``.
    """
    if x is float:
        return "float64"  # torch's reading of the Python type (tensor.to(float) is float64)
    if x is int or x is bool:
        return "int64" if x is int else "bool"
    if isinstance(x, type):
        name = x.__name__
        return DTYPES.get(name) if x.__module__.startswith("numpy") else None
    if _torch_kind(x) == "dtype" or (type(x).__module__.startswith("numpy") and hasattr(x, "itemsize")):
        text = str(x)
    elif isinstance(x, str):
        text = x
    else:
        return None
    return DTYPES.get(text.removeprefix("torch."))


def _device_name(x: Any, asked: str) -> str | None:
    """The device ``x`` names ("cpu", "cuda:0", ...): a torch.device, a string, or an int (a CUDA device's
    number, as in torch); None if it is none of those. A negative or huge int is refused with torch's words
    (its f"cuda:{x}" would quote, or fail to print, a 5,000-digit number)."""
    if _torch_kind(x) == "device":
        return str(x)
    if isinstance(x, int) and not isinstance(x, bool):
        if x < 0:
            raise UnknownDeviceOrDtype(f"{asked}: device index {short_repr(x)}: Device index must not be negative")
        if x > LARGEST_INDEX:
            raise UnknownDeviceOrDtype(f"{asked}: device index {short_repr(x)} is past torch's largest (2**63 - 1): "
                                       "Overflow when unpacking long long")
        return f"cuda:{x}"
    if isinstance(x, str):
        return x
    return None


def check_dtype(x: Any, asked: str) -> None:
    """Nothing if ``x`` names float64; otherwise the error naming ``asked`` (the call as written) and why."""
    name = _dtype_name(x)
    if name == "float64":
        return
    if name is not None:
        raise UnsupportedConversion(f"{asked}: {name} is not available: {WHY}. Keep the module as it is, or "
                                    f"compute in torch: nn.torch_bridge.to_torch(model, dtype=torch.{name})")
    if isinstance(x, str):
        raise UnknownDeviceOrDtype(f"{asked}: {x!r} names no dtype (float64 is the one this module has)")
    raise TypeError(f"{asked}: expected a dtype (torch.float64, 'float64'), got {type(x).__name__} {short_repr(x)}")


def check_device(x: Any, asked: str) -> None:
    """Nothing if ``x`` names the CPU ("cpu", "cpu:0", torch.device("cpu")); else the error naming ``asked``."""
    name = _device_name(x, asked)
    if name is None:
        raise TypeError(f"{asked}: expected a device ('cpu', torch.device('cpu')), got {type(x).__name__} "
                        f"{short_repr(x)}")
    if re.fullmatch(r"cpu(:\d+)?", name):
        return
    kind = name.split(":", 1)[0]
    if kind in OTHER_DEVICES:
        raise UnsupportedConversion(f"{asked}: device {name!r} is not available: {WHY}. Use 'cpu' (what the "
                                    "module is), or compute in torch: nn.torch_bridge.to_torch(model).to("
                                    f"{name!r})")
    raise UnknownDeviceOrDtype(f"{asked}: {name!r} names no device or dtype ('cpu' and float64 are what this "
                               "module is)")


def check_to_arguments(args: tuple[Any, ...], kwargs: dict[str, Any], asked: str) -> None:
    """Check torch's ``Module.to`` arguments: ``(device)``, ``(dtype)``, ``(device, dtype)``, ``(tensor)``, each
    with an optional ``non_blocking`` bool after it, or the keywords ``device=``, ``dtype=`` (and
    ``non_blocking=``, ``memory_format=``, which change nothing for a scalar); raise unless every one of them
    names float64 or the CPU. A string is a device, as torch reads it: ``to('float64')`` is torch's "Invalid
    device string", and ``dtype='float64'`` its TypeError (a dtype is torch.float64 or float)."""
    if "copy" in kwargs:
        raise RuntimeError(f"{asked}: .to() does not accept copy argument (torch's words: a module is converted "
                           "in place, never copied)")
    unknown = [key for key in kwargs if key not in ("device", "dtype", "tensor", *QUIET_KEYWORDS)]
    if unknown:
        raise TypeError(f"{asked}: unexpected keyword argument {short_repr(unknown[0])}")
    if args and isinstance(args[-1], bool) and len(args) in (2, 3):
        args = args[:-1]  # torch's to(device, dtype, non_blocking), to(dtype, non_blocking), to(tensor, non_blocking)
    if len(args) > 2:
        raise TypeError(f"{asked}: takes at most 2 positional arguments (device, dtype) and non_blocking, got "
                        f"{len(args)}")
    for position, x in enumerate(args):
        if x is None:
            continue
        tensor_like = hasattr(x, "dtype") and hasattr(x, "device") and not isinstance(x, (str, type))
        if tensor_like:  # torch's to(tensor): its dtype and its device
            check_dtype(x.dtype, asked)
            check_device(x.device, asked)
        elif _is_value(x):
            continue  # to(another Value): float64 on the CPU already
        elif isinstance(x, str) and position == 1:
            raise TypeError(f"{asked}: the second argument is the dtype (torch.float64, or float), not the string "
                            f"{short_repr(x)} (torch's to() refuses it too)")
        elif isinstance(x, str):
            _check_device_string(x, asked)
        elif _is_numpy(x):
            _refuse_numpy(x, asked)
        elif _dtype_name(x) is not None or position == 1:
            check_dtype(x, asked)
        else:
            check_device(x, asked)
    if kwargs.get("device") is not None:
        device = kwargs["device"]
        _check_device_string(device, asked) if isinstance(device, str) else check_device(device, asked)
    dtype = kwargs.get("dtype")
    if isinstance(dtype, str):
        raise TypeError(f"{asked}: dtype must be a dtype (torch.{DTYPES.get(dtype, 'float64')}, or float), not the "
                        f"string {short_repr(dtype)} (torch's to() refuses it too)")
    if _is_numpy(dtype):
        _refuse_numpy(dtype, asked)
    if dtype is not None:
        check_dtype(dtype, asked)
    tensor = kwargs.get("tensor")
    if tensor is not None and not _is_value(tensor):
        check_dtype(getattr(tensor, "dtype", tensor), asked)
        check_device(getattr(tensor, "device", "cpu"), asked)


def _check_device_string(x: str, asked: str) -> None:
    """``check_device`` for a string, which torch's ``to`` reads as a device only: a dtype's name there is
    torch's "Invalid device string" (a RuntimeError), said with what to write instead."""
    if x.removeprefix("torch.") in DTYPES:
        raise UnknownDeviceOrDtype(f"{asked}: {short_repr(x)} is not a device (torch: Invalid device string); "
                                   "to() reads a string as a device: for a dtype write torch."
                                   f"{DTYPES[x.removeprefix('torch.')]} (or float for float64)")
    check_device(x, asked)


def _is_numpy(x: Any) -> bool:
    """Whether ``x`` is a numpy dtype or scalar type (``np.float64``, ``np.dtype('float64')``)."""
    return (x.__module__ if isinstance(x, type) else type(x).__module__).startswith("numpy")


def _refuse_numpy(x: Any, asked: str) -> None:
    """torch's ``to`` refuses numpy's dtypes (a TypeError, "invalid combination of arguments"): say which to use."""
    name = _dtype_name(x) or "float64"
    raise TypeError(f"{asked}: to() takes a torch dtype (torch.{name}, or float for float64), not numpy's "
                    f"{short_repr(x)} (torch's to() refuses it too)")


def _is_value(x: Any) -> bool:
    """True for an `autograd.Value` (one float64 on the CPU), imported late to keep this module's reading simple."""
    from autograd import Value

    return isinstance(x, Value)


def call_text(owner: str, method: str, args: tuple[Any, ...] = (), kwargs: dict[str, Any] | None = None) -> str:
    """The call as the user wrote it, for error messages: ``Linear.to('cuda')``, ``MLP.to(dtype=torch.float32)``."""
    shown = [_short(a) for a in args] + [f"{k}={_short(v)}" for k, v in (kwargs or {}).items()]
    return f"{owner}.{method}({', '.join(shown)})"


def _short(x: Any) -> str:
    """``repr`` of an argument, except torch's dtypes and devices as written (torch.float32, not a long repr);
    cut, and never failing (a 5,000-digit int, a raising ``__repr__``), as `short_repr`."""
    kind = _torch_kind(x)
    return str(x) if kind == "dtype" else f"torch.device({str(x)!r})" if kind == "device" else short_repr(x)
