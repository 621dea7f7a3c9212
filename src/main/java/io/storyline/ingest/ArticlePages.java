package io.storyline.ingest;

import io.storyline.config.IngestConfig;
import io.storyline.ingest.FetchResult.Status;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Completes entries whose feed gives only a short summary with the main text of their article
 * page ({@code ingest.fetch-pages}). Only http(s) feeds and links qualify: a local feed or a
 * feed's link must never make us read another file. Call it after {@link EntryTracker}, on NEW
 * and REVISION entries only, so pages are fetched once per version.
 */
public final class ArticlePages {

    private static final Logger LOG = LoggerFactory.getLogger(ArticlePages.class);

    private final IngestConfig config;
    private final FeedFetcher fetcher;

    public ArticlePages(IngestConfig config, FeedFetcher fetcher) {
        this.config = Objects.requireNonNull(config, "config");
        this.fetcher = Objects.requireNonNull(fetcher, "fetcher");
    }

    /** Whether {@link #complete} would fetch this entry's page. */
    public boolean wanted(FeedEntry entry) {
        return config.fetchPages() && isHttp(entry.feedUrl()) && isHttp(entry.url())
                && EntryIdentity.visibleText(entry.text()).strip().length()
                        < config.shortSummaryChars();
    }

    /**
     * The entry with its page's main text when that is longer than what the feed gave, else
     * the entry unchanged (page not wanted, not fetched, or nothing substantial on it).
     */
    public FeedEntry complete(FeedEntry entry) {
        if (!wanted(entry)) {
            return entry;
        }
        FetchResult page = fetcher.fetchPage(entry.url());
        if (page.status() == Status.FAILED
                && page.problem().what() == FeedProblem.Kind.FORBIDDEN) {
            LOG.warn("feed {}: page of entry {} not fetched: {}", entry.feedUrl(),
                    entry.articleId(), page.problem().message());
            return entry;
        }
        if (page.status() != Status.FETCHED) {
            LOG.debug("page of {} in {} not used: {}", entry.articleId(), entry.feedUrl(),
                    page.problem() == null ? page.status() : page.problem().message());
            return entry;
        }
        String text;
        try {
            text = PageExtractor.extract(page.body(), page.charset(), page.finalUrl());
        } finally {
            fetcher.release(page);
        }
        if (text == null
                || text.length() <= EntryIdentity.visibleText(entry.text()).strip().length()) {
            LOG.debug("page {} of {} has no text longer than the summary", entry.url(),
                    entry.articleId());
            return entry;
        }
        return entry.withText(text, config.maxArticleChars());
    }

    private static boolean isHttp(String url) {
        if (url == null) {
            return false;
        }
        try {
            URI uri = new URI(url);
            return FeedFetcher.isHttp(uri.getScheme()) && uri.getHost() != null;
        } catch (URISyntaxException e) {
            return false;
        }
    }
}
