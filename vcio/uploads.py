"""An import's uploaded file between its preview and its confirmation: `StashedUploadMixin` keeps
the file's text in the member's session (server-side; the import caps its size), under a random
token the confirmation must give back, one pending upload per member and practice."""

import secrets


class StashedUploadMixin:
    """For an import's views. Give `upload_session_key` (the session entry of this kind of import)
    and `scope_key()` (what the upload is for: "<practice id>:<client id or 'practice'>")."""

    upload_session_key: str

    def scope_key(self) -> str:
        raise NotImplementedError

    def stash(self, name: str, text: str) -> str:
        """Keep the upload, replacing any other of this practice (another practice's stays); its token."""
        token = secrets.token_hex(16)
        practice = f"{self.practice.pk}:"
        uploads = {
            k: v
            for k, v in self.request.session.get(self.upload_session_key, {}).items()
            if not k.startswith(practice)
        }
        uploads[self.scope_key()] = {"token": token, "name": name[:120], "text": text}
        self.request.session[self.upload_session_key] = uploads
        return token

    def stashed(self, token: str) -> dict | None:
        """The upload kept for this scope under this token ({"token", "name", "text"}), or None."""
        upload = self.request.session.get(self.upload_session_key, {}).get(self.scope_key())
        if not upload or not token or not secrets.compare_digest(str(upload.get("token", "")), str(token)):
            return None
        return upload

    def drop(self) -> None:
        uploads = self.request.session.get(self.upload_session_key, {})
        uploads.pop(self.scope_key(), None)
        self.request.session[self.upload_session_key] = uploads
