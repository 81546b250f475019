"""python -m poller"""
from poller.main import main

main()
