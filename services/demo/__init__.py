"""The demo county of Nanchang (generated, seeded, labelled demo) and the importer of a real county's files."""
