"""Front-end libraries served from installed Python packages, never from a CDN.

Each entry maps a static path to one file inside an installed package, so collectstatic
copies that file only (plotly's package ships many megabytes besides plotly.min.js).
"""

from __future__ import annotations

from importlib import resources
from pathlib import Path

from django.contrib.staticfiles.finders import BaseFinder
from django.core.files.storage import FileSystemStorage

VENDOR_FILES = {
    "vendor/plotly.min.js": ("plotly", "package_data/plotly.min.js"),
    # The tour map: Leaflet from XStatic-Leaflet, its CSS next to the images it names.
    **{
        f"vendor/leaflet/{name}": ("xstatic.pkg.leaflet", f"data/{name}")
        for name in (
            "leaflet.js",
            "leaflet.css",
            "images/marker-icon.png",
            "images/marker-icon-2x.png",
            "images/marker-shadow.png",
            "images/layers.png",
            "images/layers-2x.png",
        )
    },
}


def _file(package: str, relative: str) -> Path:
    return Path(str(resources.files(package).joinpath(relative)))


class VendorFinder(BaseFinder):
    def check(self, **kwargs) -> list:
        return []

    def find(self, path: str, find_all: bool = False, **kwargs) -> str | list[str]:
        if path in VENDOR_FILES:
            found = str(_file(*VENDOR_FILES[path]))
            return [found] if find_all else found
        return [] if find_all else ""

    def list(self, ignore_patterns):
        for path, (package, relative) in VENDOR_FILES.items():
            location = _file(package, relative)
            storage = FileSystemStorage(location=str(location.parent))
            storage.prefix = str(Path(path).parent)
            yield location.name, storage
