"""The e-mails a dossier's transitions send, queued in the outbox within the transition."""


def transition_happened(dossier, log):
    """Queue the notifications of one logged transition."""
