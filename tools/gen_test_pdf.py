#!/usr/bin/env python3
"""gen_test_pdf — writes tests/fixtures/cv/*.pdf: a minimal valid one-page
PDF with a short CV, and a truncated copy (broken input), computing the xref
offsets so poppler reads them without repair.  Python 3 stdlib only."""
import os, sys

LINES = ["Jane Example - Senior Backend Engineer",
         "Backend Engineer at Acme (2019 - present): Python, Django and PostgreSQL on k8s.",
         "B.Sc. Computer Science, Example University (2014 - 2018)."]


def pdf(lines):
    content = "BT /F1 11 Tf 50 780 Td 14 TL\n"
    for l in lines:
        content += "(%s) '\n" % l.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)")
    content += "ET\n"
    objs = ["<< /Type /Catalog /Pages 2 0 R >>",
            "<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
            "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R "
            "/Resources << /Font << /F1 5 0 R >> >> >>",
            "<< /Length %d >>\nstream\n%sendstream" % (len(content), content),
            "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>"]
    out = b"%PDF-1.4\n"
    offs = []
    for i, o in enumerate(objs, 1):
        offs.append(len(out))
        out += ("%d 0 obj\n%s\nendobj\n" % (i, o)).encode("latin-1")
    xref = len(out)
    out += ("xref\n0 %d\n0000000000 65535 f \n" % (len(objs) + 1)).encode()
    for o in offs:
        out += ("%010d 00000 n \n" % o).encode()
    out += ("trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objs) + 1, xref)).encode()
    return out


def main():
    d = sys.argv[1] if len(sys.argv) > 1 else os.path.join(os.path.dirname(__file__), "..", "tests", "fixtures", "cv")
    os.makedirs(d, exist_ok=True)
    data = pdf(LINES)
    open(os.path.join(d, "simple.pdf"), "wb").write(data)
    open(os.path.join(d, "truncated.pdf"), "wb").write(data[:200])


if __name__ == "__main__":
    main()
