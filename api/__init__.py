"""The outside of the product: the FastAPI app and the ``sociale-kaart`` command line."""
