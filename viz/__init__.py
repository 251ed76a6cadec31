"""Pictures: pyvis network exports and the web pages (built in the pictures issue).

Reads answers from the queries; never writes to the graph.
"""
