"""The Scrapy project: spiders navigate, page objects extract, one pipeline stores and scores."""
