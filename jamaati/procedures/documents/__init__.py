"""The PDF documents of e-services: the receipt, the decision and the urbanism information note.

The domain (`services.document_issue`) records an `IssuedDocument` (number, verification token,
what the verification page may show); this package turns it into a PDF:

- `context.py` gathers what a document says, in the application's language;
- the HTML comes from the templates in `templates/procedures/documents/`: the body of each
  document is one template, included both by the PDF page (`pdf.html`, with the print
  stylesheet `print.css`) and by the site's page of the document (`page.html`, in `base.html`);
- `render.py` renders that HTML with WeasyPrint and the vendored Noto fonts
  (`procedures/fonts/`), then stores it with `services.document_attach_rendering`;
- `qr.py` draws the QR code of the verification URL; `mapsvg.py` the parcel over the zones;
- `tasks.py` renders after the commit that issued the document (Celery, eager by default).

A document is rendered once: its PDF never changes, so its SHA-256 fingerprint, shown on the
public verification page, identifies it.
"""


def render_and_attach(*, document):
    """Render and store the PDF of an issued document (once); return it with its `rendered_file`.

    The entry point for pages that serve a document; see `render.document_render`.
    """
    from jamaati.procedures.documents.render import document_render

    return document_render(document=document)
