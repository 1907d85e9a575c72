"""The safety lane's pages: support after a finding (support.py) and the private safety plan."""
