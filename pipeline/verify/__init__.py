"""`bulletin verify`: measure generated DOCX and PDF files against GB/T 9704-2012."""
