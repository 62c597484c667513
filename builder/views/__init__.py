"""What pages and exports show, built from the model; knows nothing of MkDocs."""
