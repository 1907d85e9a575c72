"""Thin views: access -> form -> one service -> render or redirect."""
