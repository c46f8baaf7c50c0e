"""Members' personal data: a copy of everything held (export), erasure for real, retention."""
