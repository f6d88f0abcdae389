"""Package discovery only (metadata is in pyproject.toml): the three code folders and every subpackage
in them are installed under the one import package `pgsage`, so a new subpackage needs no list edit."""

from setuptools import find_packages, setup

TOPS = ("server", "tools", "knowledge")

packages = []
package_dir = {}
for top in TOPS:
    packages.append(f"pgsage.{top}")
    package_dir[f"pgsage.{top}"] = top
    for sub in find_packages(top):
        packages.append(f"pgsage.{top}.{sub}")

setup(packages=packages, package_dir=package_dir)
