"""Compiles the cffi extension during `pip install` (see ffi_build.py for where
libvectorpin comes from); everything else is declared in pyproject.toml."""
import shutil
import sys
from pathlib import Path

from setuptools import Extension, setup
from setuptools.command.build_ext import build_ext

sys.path.insert(0, str(Path(__file__).resolve().parent))
import ffi_build  # noqa: E402


class BuildCffiExtension(build_ext):
    def run(self):
        work = Path(self.build_temp).resolve()
        work.mkdir(parents=True, exist_ok=True)
        native = ffi_build.locate(work)
        built = Path(ffi_build.make_ffi(native).compile(tmpdir=str(work), verbose=bool(self.verbose)))
        for base in {Path(self.build_lib)} | ({Path("src")} if self.inplace else set()):
            dest = base / "vectorpin"
            dest.mkdir(parents=True, exist_ok=True)
            shutil.copy2(built, dest / Path(self.get_ext_filename(ffi_build.MODULE)).name)
            if native.bundle:
                shutil.copy2(native.bundle, dest / native.bundle.name)


setup(
    ext_modules=[Extension(ffi_build.MODULE, sources=[])],
    cmdclass={"build_ext": BuildCffiExtension},
)
