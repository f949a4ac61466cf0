package io.twinflow.functions.live;

import io.twinflow.core.dedupe.EventIdSet;
import io.twinflow.live.LiveTables;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * The fingerprint pages of window items ({@link LiveTables#WINDOW_PAGES}): written once, before the window put that
 * lists them, and never changed, since a page is named by the digest of what it holds. That makes them safe to keep
 * in memory: a warm stream processor reads each page of a window it writes at most once, and not at all when it wrote
 * the page itself.
 */
final class FingerprintPages {

    /** About 1 KB each: a few MB for the pages of the windows a busy shard is writing. */
    private static final int CACHED_PAGES = 4096;

    private final DynamoDbClient dynamoDb;
    private final DynamoDbBatches batches;
    private final LiveItems items;
    private final String table;
    private final Map<String, EventIdSet> cache = Collections.synchronizedMap(new LinkedHashMap<>(64, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, EventIdSet> eldest) {
            return size() > CACHED_PAGES;
        }
    });

    FingerprintPages(DynamoDbClient dynamoDb, DynamoDbBatches batches, LiveItems items, String table) {
        this.dynamoDb = dynamoDb;
        this.batches = batches;
        this.items = items;
        this.table = table;
    }

    /**
     * The fingerprints of a window's pages, together: from memory, or read strongly consistent.
     *
     * @throws MissingPageException when a listed page is not in the table
     */
    EventIdSet read(WindowKey key, long[] digests) {
        // Merged once at the end: folding page by page would sort the growing union again for every page.
        List<EventIdSet> pages = new ArrayList<>(digests.length);
        Map<String, Long> unread = new HashMap<>();
        for (long digest : digests) {
            EventIdSet page = cache.get(cacheKey(key, digest));
            if (page == null) {
                unread.put(LiveTables.pageKey(key.windowStart(), digest), digest);
            } else {
                pages.add(page);
            }
        }
        List<Long> toRead = new ArrayList<>(unread.values());
        for (int from = 0; from < toRead.size(); from += DynamoDbBatches.GET_LIMIT) {
            List<Map<String, AttributeValue>> keys = toRead.subList(from, Math.min(toRead.size(), from + DynamoDbBatches.GET_LIMIT))
                    .stream().map(digest -> LiveItems.pageItemKey(key, digest)).toList();
            for (Map<String, AttributeValue> item : batches.getAll(table, keys)) {
                Long digest = unread.remove(item.get(LiveTables.WINDOW_START).s());
                EventIdSet page = LiveItems.eventIds(item);
                cache.put(cacheKey(key, digest), page);
                pages.add(page);
            }
        }
        if (!unread.isEmpty()) {
            throw new MissingPageException(key, unread.keySet().iterator().next());
        }
        return EventIdSet.union(pages);
    }

    /** Stores a page of the window's fingerprints; writing the same page again rewrites the same item. */
    long write(WindowKey key, EventIdSet ids) {
        long digest = ids.digest();
        dynamoDb.putItem(b -> b.tableName(table).item(items.page(key, ids)));
        cache.put(cacheKey(key, digest), ids);
        return digest;
    }

    private static String cacheKey(WindowKey key, long digest) {
        return key.deviceId() + '\u0000' + LiveTables.pageKey(key.windowStart(), digest);
    }

    /**
     * A window item lists a page the table does not hold: which events the window counted is not known, so nothing
     * may be added to it (the delivery is retried, and ends at the on-failure destination if the page stays away).
     */
    static final class MissingPageException extends RuntimeException {
        MissingPageException(WindowKey key, String pageKey) {
            super("window " + LiveTables.windowKey(key.windowStart()) + " of device " + key.deviceId() + " lists fingerprint page "
                    + pageKey + ", which the table does not hold", null, false, false);
        }
    }
}
