import streamlit as st

st.header("Mail")
smtp = st.secrets["smtp"]
st.write(f"Sending through {smtp['server']}")
