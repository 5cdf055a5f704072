"""Turn an archive of provincial ICT news pages into a Vietnamese-aware Whoosh index."""
