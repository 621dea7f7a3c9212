package io.storyline.view;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Collection;
import java.util.function.LongConsumer;
import org.apache.lucene.analysis.Analyzer;
import org.apache.lucene.analysis.LowerCaseFilter;
import org.apache.lucene.analysis.TokenStream;
import org.apache.lucene.analysis.miscellaneous.ASCIIFoldingFilter;
import org.apache.lucene.analysis.standard.StandardTokenizer;
import org.apache.lucene.document.Document;
import org.apache.lucene.document.Field;
import org.apache.lucene.document.NumericDocValuesField;
import org.apache.lucene.document.StringField;
import org.apache.lucene.document.TextField;
import org.apache.lucene.index.DocValues;
import org.apache.lucene.index.IndexWriter;
import org.apache.lucene.index.IndexWriterConfig;
import org.apache.lucene.index.LeafReaderContext;
import org.apache.lucene.index.NumericDocValues;
import org.apache.lucene.index.Term;
import org.apache.lucene.queryparser.simple.SimpleQueryParser;
import org.apache.lucene.search.BooleanClause;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.Query;
import org.apache.lucene.search.ScoreMode;
import org.apache.lucene.search.SearcherManager;
import org.apache.lucene.search.SimpleCollector;
import org.apache.lucene.store.ByteBuffersDirectory;

/**
 * An in-memory Lucene index of the articles' titles and leads, one document per article, for
 * {@code q=}. Words are folded to lower case without accents, so {@code kyiv} finds
 * {@code Kyïv}; the query language is Lucene's simple syntax (all words must match,
 * {@code "a phrase"}, {@code -not}, {@code pref*}), which never fails on user input.
 */
final class TextIndex implements AutoCloseable {

    private static final String ID = "id";
    private static final String STORY = "story";
    private static final String TEXT = "text";

    private final Analyzer analyzer = new Analyzer() {
        @Override
        protected TokenStreamComponents createComponents(String field) {
            StandardTokenizer source = new StandardTokenizer();
            TokenStream out = new ASCIIFoldingFilter(new LowerCaseFilter(source));
            return new TokenStreamComponents(source, out);
        }
    };
    private final IndexWriter writer;
    private final SearcherManager searchers;

    TextIndex() {
        try {
            writer = new IndexWriter(new ByteBuffersDirectory(),
                    new IndexWriterConfig(analyzer).setRAMBufferSizeMB(32));
            searchers = new SearcherManager(writer, null);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot open the in-memory search index", e);
        }
    }

    /**
     * Indexes an article (again, for a revision or when its story is absorbed) with the number
     * of the story it belongs to, which a search hands back instead of the article's id.
     */
    void put(ArticleView a, long story) {
        Document doc = new Document();
        doc.add(new StringField(ID, a.id(), Field.Store.NO));
        doc.add(new NumericDocValuesField(STORY, story));
        doc.add(new TextField(TEXT, a.searchText(), Field.Store.NO));
        try {
            writer.updateDocument(new Term(ID, a.id()), doc);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot index article " + a.id(), e);
        }
    }

    void delete(Collection<String> ids) {
        if (ids.isEmpty()) {
            return;
        }
        try {
            writer.deleteDocuments(ids.stream().map(id -> new Term(ID, id)).toArray(Term[]::new));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot remove articles from the search index", e);
        }
    }

    /** Makes what was indexed so far searchable. */
    void refresh() {
        try {
            searchers.maybeRefresh();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot refresh the search index", e);
        }
    }

    /**
     * Hands every article matching {@code text} to {@code stories} as its story's number, in
     * index order, without scoring: the list ranks hits by its own order, so relevance is not
     * needed, and a search costs a few nanoseconds per matching article. Consecutive hits of
     * one story are handed over once.
     */
    void search(String text, LongConsumer stories) {
        SimpleQueryParser parser = new SimpleQueryParser(analyzer, TEXT);
        parser.setDefaultOperator(BooleanClause.Occur.MUST);
        Query query = parser.parse(text);
        if (query == null) {
            return;
        }
        try {
            IndexSearcher searcher = searchers.acquire();
            try {
                searcher.search(query, new SimpleCollector() {
                    private NumericDocValues values;
                    private long last = Long.MIN_VALUE;

                    @Override
                    protected void doSetNextReader(LeafReaderContext context)
                            throws IOException {
                        values = DocValues.getNumeric(context.reader(), STORY);
                    }

                    @Override
                    public void collect(int doc) throws IOException {
                        if (values.advanceExact(doc)) {
                            long story = values.longValue();
                            if (story != last) {
                                last = story;
                                stories.accept(story);
                            }
                        }
                    }

                    @Override
                    public ScoreMode scoreMode() {
                        return ScoreMode.COMPLETE_NO_SCORES;
                    }
                });
            } finally {
                searchers.release(searcher);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot search the index", e);
        }
    }

    @Override
    public void close() {
        try {
            searchers.close();
            writer.close();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot close the search index", e);
        }
    }
}
