"""Knowledge base of known false or distorted narratives, and matching claims against it."""
