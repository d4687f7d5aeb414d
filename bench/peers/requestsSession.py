# The reference: Python's requests.Session, 1 login + N GETs, as a whole process.
import sys
import requests

base, count = sys.argv[1], int(sys.argv[2])
with requests.Session() as session:
    session.post(f"{base}/login", data={"username": "user", "password": "password"})
    for i in range(count):
        session.get(f"{base}/data/{i}").content
