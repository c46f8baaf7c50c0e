"""Import: bring in the application form's CSV export, check the column mapping, see rejects."""

import hashlib

import streamlit as st

from lib import ui
from lib.errors import MentoringError
from lib.intake import csvfile, dates, importer

page = ui.page_setup("Import", ":material/upload_file:")
st.title("Import applications")
st.caption(
    "Upload the CSV export of your application form (Google Forms: Responses › Download CSV; "
    "a spreadsheet: File › Download › CSV). Nothing is written until you press Import."
)

KEEP = "(keep as extra answer)"
AUTO = "Automatic"
COUNTS = ("inserted", "updated", "unchanged", "skipped", "rejected")
labels = {KEEP: None, **{label: name for name, label in importer.FIELDS.items()}}
upload = st.file_uploader("CSV export", type=["csv", "tsv", "txt"], key="import.file")


def use_encoding(name: str) -> None:
    """The one-click alternative encoding."""
    st.session_state["import.encoding"] = name


if upload is not None:
    data = upload.getvalue()
    digest = hashlib.sha256(data).hexdigest()
    if st.session_state.get("import.sha") != digest:
        for key in [k for k in st.session_state if str(k).startswith("import.map.")]:
            del st.session_state[key]
        st.session_state["import.sha"] = digest
    left, right = st.columns(2)
    chosen = left.selectbox(
        "Encoding", [AUTO, *csvfile.ENCODING_CHOICES], format_func=csvfile.encoding_label, key="import.encoding"
    )
    order = right.selectbox(
        "Date order", [AUTO, *dates.ORDERS], format_func=lambda o: dates.ORDER_WORDS.get(o, o), key="import.dates"
    )
    try:
        preview = ui.import_preview(digest, None if chosen == AUTO else chosen, data)
    except MentoringError as exc:
        ui.show_error(exc)
        st.stop()
    parsed = preview.parsed
    st.write(
        f"**{ui.safe(upload.name)}**: {len(parsed.records):,} rows, {len(parsed.header)} columns, "
        f"{parsed.delimiter_name}-separated. Read as {csvfile.encoding_label(parsed.encoding)}."
    )
    if parsed.encoding_examples and not parsed.encoding.startswith("utf"):
        st.caption("Names as read: " + ui.safe(", ".join(parsed.encoding_examples)))
    for other in parsed.encoding_alternatives:
        label = f"Read as {csvfile.encoding_label(other)} instead"
        st.button(label, key=f"import.use.{other}", on_click=use_encoding, args=(other,))
    remembered = page.read(importer.remembered_mapping, parsed.header)
    if remembered:
        st.info("Columns chosen as you chose them last time for a file with these columns.", icon=":material/history:")

    st.subheader("Which column is which?")
    st.caption(
        "Guessed from the column titles. Email and name are required; columns kept as extra answers "
        "are stored with each applicant."
    )
    mapping = {}
    grid = st.columns(3)
    for index, column in enumerate(parsed.header):
        guess = (remembered or preview.mapping)[column]
        default = list(labels).index(importer.FIELDS[guess]) if guess else 0
        choice = grid[index % 3].selectbox(column, list(labels), index=default, key=f"import.map.{index}")
        mapping[column] = labels[choice]

    st.subheader("Preview")
    st.dataframe(importer.mapped_preview(preview, mapping), hide_index=True, key="import.preview")
    date_order = None if order == AUTO else order
    for sentence in importer.check_warnings(parsed, mapping, date_order=date_order)[1]:
        st.warning(ui.safe(sentence), icon=":material/warning:")
    try:
        importer.validate_mapping(mapping)
    except MentoringError as exc:
        ui.show_error(exc)
    else:
        status = st.selectbox(
            "Stage for new applicants",
            importer.MOVABLE,
            key="import.status",
            help="Choose 'accepted' to bring in an existing member list. People already stored keep their stage.",
        )
        if st.button(f"Import {len(parsed.records):,} rows", type="primary", key="import.go", icon=":material/upload:"):
            bar = st.progress(0.0, text="Starting")
            try:
                with page.writing() as cur:
                    result = importer.import_applications(
                        cur,
                        data,
                        filename=upload.name,
                        mapping=mapping,
                        encoding=None if chosen == AUTO else chosen,
                        date_order=date_order,
                        status=status,
                        moderator=page.moderator,
                        progress=lambda f, text: bar.progress(f, text=text),
                    )
            except MentoringError as exc:
                bar.empty()
                ui.show_error(exc)
            else:
                st.session_state["import.last_id"] = result.import_id
                for sentence in result.warnings:
                    st.warning(ui.safe(sentence), icon=":material/warning:")

last_id = st.session_state.get("import.last_id")
if last_id:
    history = page.read(importer.import_history)
    row = history[history["id"] == last_id].iloc[0]
    st.success(f"Imported {ui.safe(row['filename'])}.", icon=":material/check_circle:")
    cols = st.columns(5)
    for col, name in zip(cols, COUNTS):
        col.metric(name.capitalize(), int(row[name]))
    rejects = page.read(importer.rejects_table, last_id)
    if not rejects.empty:
        st.subheader("Rejected rows")
        st.caption(
            "These rows were not stored. Fix them in the spreadsheet (row numbers count the header "
            "as row 1) or in the downloaded file, then import again."
        )
        st.dataframe(rejects, hide_index=True, key="import.rejects")
        ui.download_csv(
            rejects.drop(columns=["Row", "Problem"]),
            filename="rejected_rows.csv",
            label="Download rejected rows (CSV)",
            key="import.download_rejects",
        )

st.subheader("Import history")
history = page.read(importer.import_history)
if history.empty:
    st.caption("No imports yet.")
else:
    st.dataframe(
        history,
        hide_index=True,
        key="import.history",
        column_order=["imported_at", "filename", "rows_read", *COUNTS, "moderator", "sha256"],
        column_config={
            "imported_at": st.column_config.DatetimeColumn("When", format="D MMM YYYY, HH:mm"),
            "filename": "File",
            "rows_read": "Rows",
            **{name: name.capitalize() for name in COUNTS},
            "moderator": "By",
            "sha256": st.column_config.TextColumn("SHA-256", help="Fingerprint of the file", width="small"),
        },
    )
