import streamlit as st

st.title("Admin")
if st.text_input("Password", type="password") == st.secrets["admin_password"]:
    st.write(f"Connected to {st.secrets.db.host}")
