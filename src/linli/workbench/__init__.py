"""The workbench (工作台): every staff member's start page — what is waiting for them today, gathered
from every domain's to-dos (linli.web.todo), each one tap from the page where it is done, and the
places they serve."""
