"""The scan's one DNS stack: async client, UDP/TCP transport and a fast wire codec."""
