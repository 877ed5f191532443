"""What a portal publishes for machines: section feeds, the sitemap and robots.txt."""
