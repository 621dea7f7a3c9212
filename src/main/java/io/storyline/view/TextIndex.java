package io.storyline.view;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Arrays;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.LinkedHashSet;
import java.util.Set;
import org.apache.lucene.analysis.Analyzer;
import org.apache.lucene.analysis.LowerCaseFilter;
import org.apache.lucene.analysis.TokenStream;
import org.apache.lucene.analysis.miscellaneous.ASCIIFoldingFilter;
import org.apache.lucene.analysis.standard.StandardTokenizer;
import org.apache.lucene.document.Document;
import org.apache.lucene.document.Field;
import org.apache.lucene.document.StringField;
import org.apache.lucene.document.TextField;
import org.apache.lucene.index.IndexWriter;
import org.apache.lucene.index.IndexWriterConfig;
import org.apache.lucene.document.SortedDocValuesField;
import org.apache.lucene.index.DocValues;
import org.apache.lucene.index.LeafReaderContext;
import org.apache.lucene.index.ReaderUtil;
import org.apache.lucene.index.SortedDocValues;
import org.apache.lucene.util.BytesRef;
import org.apache.lucene.index.Term;
import org.apache.lucene.queryparser.simple.SimpleQueryParser;
import org.apache.lucene.search.BooleanClause;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.Query;
import org.apache.lucene.search.ScoreDoc;
import org.apache.lucene.search.SearcherManager;
import org.apache.lucene.store.ByteBuffersDirectory;

/**
 * An in-memory Lucene index of the articles' titles and leads, one document per article, for
 * {@code q=}. Words are folded to lower case without accents, so {@code kyiv} finds
 * {@code Kyïv}; the query language is Lucene's simple syntax (all words must match,
 * {@code "a phrase"}, {@code -not}, {@code pref*}), which never fails on user input.
 */
final class TextIndex implements AutoCloseable {

    /** The best matching articles a search looks at: bounds its cost. */
    static final int MAX_HITS = 10_000;

    private static final String ID = "id";
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

    /** Indexes an article (again, for a revision). */
    void put(ArticleView a) {
        Document doc = new Document();
        doc.add(new StringField(ID, a.id(), Field.Store.NO));
        // Doc values: a hit's id costs a lookup, not the decompression of a stored block.
        doc.add(new SortedDocValuesField(ID, new BytesRef(a.id())));
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

    /** The ids of the best {@link #MAX_HITS} articles matching {@code text}. */
    Set<String> search(String text) {
        SimpleQueryParser parser = new SimpleQueryParser(analyzer, TEXT);
        parser.setDefaultOperator(BooleanClause.Occur.MUST);
        Query query = parser.parse(text);
        Set<String> ids = new LinkedHashSet<>();
        if (query == null) {
            return ids;
        }
        try {
            IndexSearcher searcher = searchers.acquire();
            try {
                ScoreDoc[] hits = searcher.search(query, MAX_HITS).scoreDocs.clone();
                Arrays.sort(hits, Comparator.comparingInt(h -> h.doc)); // doc values go forward
                List<LeafReaderContext> leaves = searcher.getIndexReader().leaves();
                int current = -1;
                SortedDocValues values = null;
                for (ScoreDoc hit : hits) {
                    int leaf = ReaderUtil.subIndex(hit.doc, leaves);
                    if (leaf != current) {
                        current = leaf;
                        values = DocValues.getSorted(leaves.get(leaf).reader(), ID);
                    }
                    if (values.advanceExact(hit.doc - leaves.get(leaf).docBase)) {
                        ids.add(values.lookupOrd(values.ordValue()).utf8ToString());
                    }
                }
            } finally {
                searchers.release(searcher);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot search the index", e);
        }
        return ids;
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
