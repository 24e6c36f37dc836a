"""Events (stub)."""
def find(doc, header, registry, index):
    return []
