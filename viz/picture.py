"""`ValueGraph`: the picture `draw_graph` returns, usable as a `graphviz.Digraph` with or without system Graphviz.

micrograd's users call ``draw_dot(root).render("gout")``, ``.pipe()`` or
``.view()``, or let Jupyter show the object. On a `graphviz.Digraph` each of
these runs the system ``dot`` program and raises ``ExecutableNotFound`` where
it is missing. Here they go through `viz.render`: the system ``dot`` when
present, else Graphviz compiled to WebAssembly (SVG) and resvg (PNG), always
within the render deadline. Only what the pip-only path cannot do (PDF, other
formats or layout engines) still needs the system Graphviz, and says so.
"""

from __future__ import annotations

import os
from pathlib import Path

import graphviz

from autograd.path_errors import check_names_a_file

from .arguments import file_path, shown
from .file_writing import write_bytes_atomically
from .render import (
    FORMATS,
    INSTALL_GRAPHVIZ,
    RenderError,
    refuse_special_files,
    render_source,
    render_to_file,
    system_dot,
)


class ValueGraph(graphviz.Digraph):
    """A `graphviz.Digraph` whose render, pipe, view and Jupyter display work without a system Graphviz."""

    def _repr_mimebundle_(self, include: object = None, exclude: object = None, **_: object) -> dict[str, str | bytes]:
        """Jupyter's display: the SVG (and a PNG when asked for), or the reason no picture can be drawn."""
        wanted = set(include) if isinstance(include, (list, tuple, set, frozenset)) else {"image/svg+xml"}
        try:
            bundle: dict[str, str | bytes] = {}
            if "image/png" in wanted:
                bundle["image/png"] = render_source(self.source, "png")
            if "image/svg+xml" in wanted or not bundle:
                bundle["image/svg+xml"] = render_source(self.source, "svg").decode("utf-8")
            return bundle
        except RenderError as err:
            return {"text/plain": f"(no picture: {err})\n{self.source}"}

    def _repr_image_svg_xml(self) -> str:
        """The picture as SVG text (the name graphviz's Jupyter integration uses)."""
        return render_source(self.source, "svg").decode("utf-8")

    def save_picture(self, path: str, format: str = "svg", *, timeout: float | None = None) -> str:
        """Write ``path``.dot and the picture; return the picture's path (see `viz.render`).

        Graphviz is stopped after ``timeout`` seconds (None: `viz.RENDER_TIMEOUT`) with RenderTimeout.
        """
        file_path("save_picture", path)  # named here, not as render_to_file's argument
        return str(render_to_file(self.source, path, format, timeout=timeout))

    def save(self, filename: str | os.PathLike[str] | None = None, directory: str | os.PathLike[str] | None = None,
             *, skip_existing: bool | None = False) -> str:
        """Write the DOT source, as `graphviz.Digraph.save`; return its path.

        Unlike graphviz's, the write is all or nothing (`viz.file_writing`): a failing or interrupted save
        leaves the old file as it was. ValueError for a FIFO, device or socket there (opening one for writing
        waits for a reader: with none, the save hung for ever).
        """
        if filename is not None:
            self.filename = filename
        if directory is not None:
            self.directory = directory
        path = self.filepath
        check_names_a_file("cannot save", path)  # write_atomically gets it as given; checked here to say "save"
        refuse_special_files(path)
        if skip_existing and os.path.exists(path):
            return path
        write_bytes_atomically(path, self.source.encode(self.encoding))
        return path

    def pipe(self, format: str | None = None, renderer: str | None = None, formatter: str | None = None,
             neato_no_op: bool | int | None = None, quiet: bool = False, *, engine: str | None = None,
             encoding: str | None = None) -> bytes | str:
        """The rendered picture as bytes (text when ``encoding`` is given), as `graphviz.Digraph.pipe`."""
        fmt = format or self.format
        if self._needs_system_graphviz(fmt, renderer, formatter, neato_no_op, engine):
            return super().pipe(format, renderer, formatter, neato_no_op, quiet, engine=engine, encoding=encoding)
        data = render_source(self.source, fmt)
        return data.decode(encoding) if encoding is not None else data

    def render(self, filename: str | os.PathLike[str] | None = None, directory: str | os.PathLike[str] | None = None,
               view: bool = False, cleanup: bool = False, format: str | None = None, renderer: str | None = None,
               formatter: str | None = None, neato_no_op: bool | int | None = None, quiet: bool = False,
               quiet_view: bool = False, *, outfile: str | os.PathLike[str] | None = None, engine: str | None = None,
               raise_if_result_exists: bool = False, overwrite_source: bool = False) -> str:
        """Save the DOT source as ``filename`` and the picture beside it; return the picture's path.

        As `graphviz.Digraph.render`: ``render("gout")`` writes ``gout`` (DOT) and ``gout.svg``;
        ``outfile="x.png"`` picks the file and, by its suffix, the format.
        """
        for name in (filename, outfile):  # before Path() forgets a trailing separator ("r.svg/" is r.svg)
            if isinstance(name, (str, os.PathLike)):
                check_names_a_file("cannot render to", name)
        fmt = format or (Path(outfile).suffix.lstrip(".").lower() if outfile is not None else "") or self.format
        if self._needs_system_graphviz(fmt, renderer, formatter, neato_no_op, engine):
            return super().render(filename, directory, view, cleanup, format, renderer, formatter, neato_no_op,
                                  quiet, quiet_view, outfile=outfile, engine=engine,
                                  raise_if_result_exists=raise_if_result_exists, overwrite_source=overwrite_source)
        if outfile is not None and filename is None:
            filename = Path(outfile).with_suffix(".gv")  # graphviz's choice: the source beside the picture
        out = Path(outfile) if outfile is not None else None
        picture = render_source(self.source, fmt)  # before any file is written: a failed render leaves none
        source_path = Path(directory if directory is not None else self.directory,
                           filename if filename is not None else self.filename)  # where graphviz's save writes
        out = out if out is not None else Path(f"{source_path}.{fmt}")
        refuse_special_files(source_path, out)
        source_path = Path(self.save(filename, directory=directory))
        if raise_if_result_exists and out.exists():
            raise FileExistsError(f"output file exists: {out}")
        write_bytes_atomically(out, picture)
        if cleanup:
            os.remove(source_path)
        if view:
            graphviz.view(out, quiet=quiet_view)
        return str(out)

    def view(self, filename: str | os.PathLike[str] | None = None, directory: str | os.PathLike[str] | None = None,
             cleanup: bool = False, quiet: bool = False, quiet_view: bool = False) -> str:
        """Render (see `render`) and open the picture with the system's viewer."""
        return self.render(filename, directory, view=True, cleanup=cleanup, quiet=quiet, quiet_view=quiet_view)

    def _needs_system_graphviz(self, fmt: str, renderer: str | None, formatter: str | None,
                               neato_no_op: bool | int | None, engine: str | None) -> bool:
        """True for what only the system Graphviz does; RenderError (one sentence) where it is missing."""
        special = renderer or formatter or neato_no_op or (engine or self.engine) != "dot"
        if fmt in FORMATS and not special:
            return False
        if system_dot() is not None:
            return True
        what = f"the {shown(fmt)} format" if fmt not in FORMATS else "another layout engine, renderer or formatter"
        raise RenderError(f"{what} needs Graphviz: {INSTALL_GRAPHVIZ}; SVG and PNG work without it")
