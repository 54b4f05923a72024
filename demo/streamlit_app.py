import streamlit as st

st.title("Demo shop")

# A connection configured under [connections.mydb] in .streamlit/secrets.toml.
conn = st.connection("mydb", type="sql")
orders = conn.query("select * from orders limit 10")
st.dataframe(orders)

# Try: type `st.secrets.` or `st.secrets["db"]["` below, and hover the accesses.
st.caption(f"Database host: {st.secrets.db.host}")
password = st.secrets["db"]["password"]

# The global file also provides keys the project file does not define.
openai_key = st.secrets["openai_api_key"]

# This key is in no secrets file: Streamlit raises an error when the line runs.
payment_token = st.secrets["payment_token"]
