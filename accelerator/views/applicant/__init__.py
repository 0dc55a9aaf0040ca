"""The applicant's space: home, structures, members, joining, the structure's own journey."""
