/*
 * explain.c: print the effective scenario (after overlays and settings)
 * as YAML, through libyaml's emitter, for `shopfloor check --explain`.
 */
#include <stdio.h>
#include <string.h>

#include <yaml.h>

#include "core/error.h"
#include "scenario/scenario.h"
#include "scenario/ytree.h"

const sf_ydoc *sf_scenario_doc_tree(const sf_scenario_doc *doc);

static bool all_scalars(const sf_ynode *n)
{
    for (size_t i = 0; i < n->n; i++)
        if (n->items[i]->kind != SF_YSCALAR)
            return false;
    return true;
}

/* Quoted text stays quoted (so `"no"` stays a name); plain stays plain where the emitter allows it. */
static int scalar(yaml_emitter_t *em, const sf_ynode *n)
{
    yaml_event_t ev;
    if (!yaml_scalar_event_initialize(&ev, NULL, NULL, (yaml_char_t *)n->text, (int)n->len, 1, 1,
                                      n->plain ? YAML_PLAIN_SCALAR_STYLE : YAML_SINGLE_QUOTED_SCALAR_STYLE))
        return 0;
    return yaml_emitter_emit(em, &ev);
}

/* Recursion is bounded by the reader's nesting limit plus the few levels --set may add. */
static int node(yaml_emitter_t *em, const sf_ynode *n)
{
    yaml_event_t ev;
    if (n->kind == SF_YSCALAR)
        return scalar(em, n);
    if (n->kind == SF_YSEQ) {
        if (!yaml_sequence_start_event_initialize(&ev, NULL, NULL, 1,
                                                  all_scalars(n) && n->n ? YAML_FLOW_SEQUENCE_STYLE
                                                                         : YAML_BLOCK_SEQUENCE_STYLE) ||
            !yaml_emitter_emit(em, &ev))
            return 0;
        for (size_t i = 0; i < n->n; i++)
            if (!node(em, n->items[i]))
                return 0;
        return yaml_sequence_end_event_initialize(&ev) && yaml_emitter_emit(em, &ev);
    }
    if (!yaml_mapping_start_event_initialize(&ev, NULL, NULL, 1, YAML_BLOCK_MAPPING_STYLE) ||
        !yaml_emitter_emit(em, &ev))
        return 0;
    for (size_t i = 0; i < n->n; i++)
        if (!scalar(em, n->keys[i]) || !node(em, n->items[i]))
            return 0;
    return yaml_mapping_end_event_initialize(&ev) && yaml_emitter_emit(em, &ev);
}

int sf_scenario_doc_explain(const sf_scenario_doc *doc, FILE *out)
{
    const sf_ydoc *y = sf_scenario_doc_tree(doc);
    yaml_emitter_t em;
    yaml_event_t ev;
    int ok;

    fprintf(out, "# effective scenario, from:");
    for (size_t i = 0, shown = 0; i < y->n_files; i++) {
        size_t j;
        for (j = 0; j < i && strcmp(y->files[j], y->files[i]) != 0; j++)
            ;
        if (j == i)
            fprintf(out, "%s %s", shown++ ? "," : "", y->files[i]);
    }
    fprintf(out, "\n");
    if (!yaml_emitter_initialize(&em))
        return SF_ENOMEM;
    yaml_emitter_set_output_file(&em, out);
    yaml_emitter_set_unicode(&em, 1);
    yaml_emitter_set_width(&em, 110);
    ok = yaml_stream_start_event_initialize(&ev, YAML_UTF8_ENCODING) && yaml_emitter_emit(&em, &ev) &&
         yaml_document_start_event_initialize(&ev, NULL, NULL, NULL, 1) && yaml_emitter_emit(&em, &ev);
    if (ok && y->root)
        ok = node(&em, y->root);
    else if (ok) {
        yaml_mapping_start_event_initialize(&ev, NULL, NULL, 1, YAML_BLOCK_MAPPING_STYLE);
        ok = yaml_emitter_emit(&em, &ev) && yaml_mapping_end_event_initialize(&ev) && yaml_emitter_emit(&em, &ev);
    }
    ok = ok && yaml_document_end_event_initialize(&ev, 1) && yaml_emitter_emit(&em, &ev) &&
         yaml_stream_end_event_initialize(&ev) && yaml_emitter_emit(&em, &ev) && yaml_emitter_flush(&em);
    yaml_emitter_delete(&em);
    return ok && !ferror(out) ? SF_OK : SF_EIO;
}

/* The name of an element of a named list (a map with a scalar `name`), or NULL. */
static const char *element_name(const sf_ynode *n)
{
    if (n->kind != SF_YMAP)
        return NULL;
    for (size_t i = 0; i < n->n; i++)
        if (strcmp(n->keys[i]->text, "name") == 0 && n->items[i]->kind == SF_YSCALAR)
            return n->items[i]->text;
    return NULL;
}

/* Print the path of every value under n, which sits at path[0..len). */
static void keys(const sf_ynode *n, char *path, size_t len, size_t cap, FILE *out)
{
    bool named = n->kind == SF_YSEQ && n->n > 0;

    for (size_t i = 0; named && i < n->n; i++)
        named = element_name(n->items[i]) != NULL;
    if (n->kind == SF_YSCALAR || (n->kind == SF_YSEQ && !named) || n->n == 0) {
        if (len > 0)
            fprintf(out, "%.*s\n", (int)len, path);
        return;
    }
    for (size_t i = 0; i < n->n; i++) {
        const char *key = n->kind == SF_YMAP ? n->keys[i]->text : element_name(n->items[i]);
        int w = snprintf(path + len, cap - len, "%s%s", len ? "." : "", key);
        if (w > 0 && len + (size_t)w < cap)
            keys(n->items[i], path, len + (size_t)w, cap, out);
    }
}

int sf_scenario_doc_keys(const sf_scenario_doc *doc, FILE *out)
{
    const sf_ydoc *y = sf_scenario_doc_tree(doc);
    char path[1024];

    if (y->root)
        keys(y->root, path, 0, sizeof path, out);
    return ferror(out) ? SF_EIO : SF_OK;
}
